import { Type } from 'typebox';
import { Email, Id, IsoDate, Name, Nullable, Phone, TierSchema } from '../../schemas/common.js';

const AddressInput = Type.Object(
  {
    street: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
  },
  { additionalProperties: false },
);

const AppOnCallInput = Type.Object(
  {
    name: Name,
    phone: Type.Optional(Nullable(Phone)),
    email: Type.Optional(Nullable(Email)),
    serverId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

export const CreateCustomerBody = Type.Object(
  {
    name: Name,
    orgNumber: Type.String({ minLength: 10, maxLength: 13, description: 'organisationsnummer NNNNNN-NNNN' }),
    vatNumber: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    tier: TierSchema,
    agreementStart: IsoDate,
    agreementEnd: Type.Optional(Nullable(IsoDate)),
    address: Type.Optional(Nullable(AddressInput)),
    invoiceEmail: Type.Optional(Nullable(Email)),
    appOnCall: Type.Optional(Nullable(AppOnCallInput)),
  },
  { additionalProperties: false },
);

export const UpdateCustomerBody = Type.Object(
  {
    name: Type.Optional(Name),
    orgNumber: Type.Optional(Type.String({ minLength: 10, maxLength: 13 })),
    vatNumber: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    agreementStart: Type.Optional(IsoDate),
    agreementEnd: Type.Optional(Nullable(IsoDate)),
    address: Type.Optional(Nullable(AddressInput)),
    invoiceEmail: Type.Optional(Nullable(Email)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TierChangeBody = Type.Object(
  { tier: TierSchema, validFrom: IsoDate },
  { additionalProperties: false },
);

export const AppOnCallBody = AppOnCallInput;

const TierPeriod = Type.Object({
  tier: TierSchema,
  validFrom: Type.String(),
  validTo: Nullable(Type.String()),
});

const AppOnCall = Type.Object({
  id: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  serverId: Nullable(Type.String()),
});

export const Customer = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    orgNumber: Type.String(),
    vatNumber: Nullable(Type.String()),
    tier: Nullable(TierSchema),
    tiers: Type.Array(TierPeriod),
    agreementStart: Type.String(),
    agreementEnd: Nullable(Type.String()),
    address: Nullable(
      Type.Object({
        street: Nullable(Type.String()),
        postalCode: Nullable(Type.String()),
        city: Nullable(Type.String()),
        country: Nullable(Type.String()),
      }),
    ),
    invoiceEmail: Nullable(Type.String()),
    appOnCall: Type.Array(AppOnCall),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Customer' },
);

export const AppOnCallContact = AppOnCall;

export const ContactBody = Type.Object(
  { name: Name, phone: Phone, email: Type.Optional(Nullable(Email)) },
  { additionalProperties: false },
);

export const Contact = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    email: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Contact' },
);

export const ServerBody = Type.Object(
  {
    hostname: Type.String({
      minLength: 1,
      maxLength: 253,
      pattern: '^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$',
    }),
    ssh: Type.Optional(
      Nullable(
        Type.Object(
          {
            host: Type.String({ minLength: 1, maxLength: 253 }),
            port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
            user: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_][a-z0-9_.-]*$' }),
            hostKey: Type.String({ minLength: 20, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    criticalData: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Server = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    hostname: Type.String(),
    ssh: Nullable(
      Type.Object({ host: Type.String(), port: Type.Integer(), user: Type.String(), hostKey: Type.String() }),
    ),
    criticalData: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'Server' },
);

export const CustomerContactParams = Type.Object({ id: Id, contactId: Id });
