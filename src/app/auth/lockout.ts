/** After this many failures in a row (passwords and second factors alike) an account is locked for LOCK_MINUTES (ASVS 2.2.1). */
export const MAX_FAILED_LOGINS = 10;
export const LOCK_MINUTES = 15;
