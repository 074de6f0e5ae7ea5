import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { withResumeHint } from "./resume-hint.ts";

const partial = (bytes: number) => ({ path: "/home/bob/film.mp4.partial", bytes });

describe("withResumeHint", () => {
  it("given a download cancelled with 61 MiB kept, then the error keeps its code and says where the bytes are and how to resume", () => {
    const error = withResumeHint(
      new NatsterError("TRANSFER_CANCELLED", "the download was cancelled"),
      partial(61 * 2 ** 20),
    );
    expect(error).toBeInstanceOf(NatsterError);
    expect((error as NatsterError).code).toBe("TRANSFER_CANCELLED");
    expect((error as NatsterError).message).toBe(
      "the download was cancelled; 61.0 MiB kept in /home/bob/film.mp4.partial: run the same command again to resume",
    );
  });

  it.each(["TRANSFER_STALLED", "TIMEOUT", "CATALOG_OFFLINE"] as const)(
    "given a download that failed %s with bytes kept, then it says to run the same command again",
    (code) => {
      const error = withResumeHint(new NatsterError(code, "it stopped"), partial(1));
      expect((error as NatsterError).message).toMatch(
        /kept in \/home\/bob\/film\.mp4\.partial: run the same command again to resume$/,
      );
    },
  );

  it("given a cancelled download that kept nothing, then the error is unchanged", () => {
    const original = new NatsterError("TRANSFER_CANCELLED", "the download was cancelled");
    expect(withResumeHint(original, partial(0))).toBe(original);
  });

  it.each(["FORBIDDEN", "HASH_MISMATCH", "RANGE_NOT_SATISFIABLE"] as const)(
    "given a download refused or discarded with %s, then the error is unchanged (running it again would not help)",
    (code) => {
      const original = new NatsterError(code, "no");
      expect(withResumeHint(original, partial(5))).toBe(original);
    },
  );

  it("given an error that is not a NatsterError, then it is passed on as it is", () => {
    const original = new Error("disk full");
    expect(withResumeHint(original, partial(5))).toBe(original);
  });
});
