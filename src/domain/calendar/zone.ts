/** The one time zone the business runs in (SPEC.md section 4); instants are classified in it. */
export const STOCKHOLM = 'Europe/Stockholm';
