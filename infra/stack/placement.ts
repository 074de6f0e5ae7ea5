/**
 * Which of the stack's Nexfiles each global node runs. The first node runs all of them. Every
 * other node runs what can run more than once: the functions (their triggers are queue
 * subscriptions named after the trigger subject, as on real Nex's main branch, so each request
 * reaches one node) and the entropy service (a micro service in its queue group).
 *
 * Not yet on a second node: the account authority (its single-use nonces are in its memory) and
 * the trigger bridge (one ordered consumer per projection). Once they can run as several
 * instances, they leave this list.
 */
export const SINGLE_INSTANCE_WORKLOADS: ReadonlySet<string> = new Set(["account-authority", "trigger-bridge"]);

export const runsOnNode = (nexfileName: string, nodeIndex: number): boolean => nodeIndex === 0 || !SINGLE_INSTANCE_WORKLOADS.has(nexfileName);
