import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import {
  catalogImports,
  requestEnvelope,
  signRequest,
  Subjects,
  type AccountCreatePayload,
  type AccountReply,
  type CatalogImport,
  type ImportClaim,
  type NonceReply,
  type RevokeReply,
  type UserLogoutPayload,
  type UsersRevokePayload,
} from "@natster/protocol";

/** Talks to the account authority; every request is signed locally, so the account seed never leaves. */
export class AuthorityClient {
  constructor(private readonly nc: NatsConnection) {}

  async nonce(): Promise<string> {
    return (await requestEnvelope<NonceReply>(this.nc, Subjects.authority.nonce, undefined)).nonce;
  }

  async createAccount(
    account: KeyPair,
    request: Omit<AccountCreatePayload, "op" | "account" | "nonce">,
  ): Promise<AccountReply> {
    const payload: AccountCreatePayload = {
      op: "account.create",
      account: account.getPublicKey(),
      nonce: await this.nonce(),
      ...request,
    };
    return this.#send(
      Subjects.authority.accountCreate,
      signRequest(payload, (d) => account.sign(d)),
    );
  }

  async addImports(account: KeyPair, imports: ImportClaim[]): Promise<AccountReply> {
    const payload = { op: "imports.add" as const, account: account.getPublicKey(), nonce: await this.nonce(), imports };
    return this.#send(
      Subjects.authority.importsAdd,
      signRequest(payload, (d) => account.sign(d)),
    );
  }

  /** The two template imports for one catalog shared by `from`. */
  importCatalog(account: KeyPair, catalog: CatalogImport): Promise<AccountReply> {
    return this.addImports(account, catalogImports(account.getPublicKey(), catalog));
  }

  async removeImport(account: KeyPair, catalog: string): Promise<AccountReply> {
    const payload = {
      op: "imports.remove" as const,
      account: account.getPublicKey(),
      nonce: await this.nonce(),
      catalog,
    };
    return this.#send(
      Subjects.authority.importsRemove,
      signRequest(payload, (d) => account.sign(d)),
    );
  }

  /** Revokes browser logins of the account (their user JWTs), signed by the account key. */
  async revokeUsers(account: KeyPair, users: string[]): Promise<RevokeReply> {
    const payload: UsersRevokePayload = {
      op: "users.revoke",
      account: account.getPublicKey(),
      nonce: await this.nonce(),
      users,
    };
    return requestEnvelope<RevokeReply>(
      this.nc,
      Subjects.authority.usersRevoke,
      signRequest(payload, (d) => account.sign(d)),
      10_000,
    );
  }

  /** A browser user revokes itself: `user` is its own key pair, `jwt` its own user JWT. */
  async logout(user: KeyPair, jwt: string): Promise<RevokeReply> {
    const payload: UserLogoutPayload = { op: "user.logout", user: user.getPublicKey(), nonce: await this.nonce(), jwt };
    return requestEnvelope<RevokeReply>(
      this.nc,
      Subjects.authority.userLogout,
      signRequest(payload, (d) => user.sign(d)),
      10_000,
    );
  }

  #send(subject: string, body: unknown): Promise<AccountReply> {
    return requestEnvelope<AccountReply>(this.nc, subject, body, 10_000);
  }
}
