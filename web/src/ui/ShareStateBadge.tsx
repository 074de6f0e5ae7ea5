import { SHARE_STATE_LABEL, type ShareState } from "../state/share-state.ts";

/** The one state of a shared catalog, worded the same in the list and in the catalog view. */
export function ShareStateBadge({ state }: { state: ShareState }) {
  return <span class={`badge badge-${state}`}>{SHARE_STATE_LABEL[state]}</span>;
}
