import { createAccount } from "@nats-io/nkeys";

/** A fresh, valid account public key (with its nkey checksum). */
export const newAccount = (): string => createAccount().getPublicKey();
