import { NatsterError, type CatalogImport, type NatsterEventRequest } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { importSharedCatalog, type ImportPorts } from "./import-catalog.ts";

const FRIEND = "A-FRIEND";
const wanted: CatalogImport = { catalog: "pics", from: FRIEND };

/** Ports that remember what the use case did; `events` rejects when `logDown` is set. */
function fakeWorld(opts: { ownCatalogs?: string[]; imports?: CatalogImport[]; logDown?: boolean } = {}) {
  const saved: CatalogImport[][] = [];
  const events: NatsterEventRequest[] = [];
  const ports: ImportPorts = {
    ownCatalogExists: (name) => (opts.ownCatalogs ?? []).includes(name),
    addImport: (w) => Promise.resolve({ catalogs: [...(opts.imports ?? []), w] }),
    saveImports: (catalogs) => void saved.push(catalogs),
    putEvent: (event) =>
      opts.logDown
        ? Promise.reject(new NatsterError("TIMEOUT", "the log did not answer"))
        : Promise.resolve(events.push(event)),
  };
  return { ports, saved, events };
}

describe("importing a shared catalog", () => {
  it("given a share, when it is imported, then the imports are saved and the log is told", async () => {
    const world = fakeWorld({ imports: [{ catalog: "music", from: "A-OTHER" }] });
    const outcome = await importSharedCatalog(world.ports, wanted);
    expect(outcome).toEqual({ catalogs: [{ catalog: "music", from: "A-OTHER" }, wanted], recorded: true });
    expect(world.saved).toEqual([outcome.catalogs]);
    expect(world.events).toEqual([{ catalog: "pics", target: FRIEND, event_type: "catalog_imported", data: null }]);
  });

  it("given an own catalog of that name, when it is imported, then NAME_TAKEN and nothing changes", async () => {
    const world = fakeWorld({ ownCatalogs: ["pics"] });
    await expect(importSharedCatalog(world.ports, wanted)).rejects.toMatchObject({ code: "NAME_TAKEN" });
    expect(world.saved).toEqual([]);
    expect(world.events).toEqual([]);
  });

  it("given the log is down, when it is imported, then the import stands and the outcome says it is not recorded", async () => {
    const world = fakeWorld({ logDown: true });
    const outcome = await importSharedCatalog(world.ports, wanted);
    expect(outcome).toEqual({ catalogs: [wanted], recorded: false, record_error: "[TIMEOUT] the log did not answer" });
    expect(world.saved).toEqual([[wanted]]);
  });

  it("given the authority refuses, when it is imported, then its error comes back and nothing is saved", async () => {
    const world = fakeWorld();
    const refused: ImportPorts = {
      ...world.ports,
      addImport: () => Promise.reject(new NatsterError("AUTH_IMPORT_CONFLICT", "already imported")),
    };
    await expect(importSharedCatalog(refused, wanted)).rejects.toMatchObject({ code: "AUTH_IMPORT_CONFLICT" });
    expect(world.saved).toEqual([]);
  });
});
