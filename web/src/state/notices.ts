import { MAX_NOTICES, type LibraryState, type NoticeKind } from "./library-model.ts";

/** Adds a live notice; only the latest few stay. */
export function notify(state: LibraryState, kind: NoticeKind, title: string, text: string): LibraryState {
  const notices = [...state.notices, { id: state.nextNoticeId, kind, title, text }].slice(-MAX_NOTICES);
  return { ...state, notices, nextNoticeId: state.nextNoticeId + 1 };
}
