import { useEffect } from "preact/hooks";
import type { Notice } from "../state/library-model.ts";
import { RichText } from "./RichText.tsx";

const NOTICE_MS = 8_000;

/** Live notices (new content, online/offline, shares): announced politely, gone after a while. */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div class="notices" role="status" aria-live="polite" aria-label="Notices">
      {notices.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} onDismiss={onDismiss} />
      ))}
    </div>
  );
}

function NoticeCard({ notice, onDismiss }: { notice: Notice; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(notice.id), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice.id, onDismiss]);
  return (
    <div class={`notice notice-${notice.kind}`}>
      <div>
        <strong>{notice.title}</strong>
        <p>
          <RichText text={notice.text} />
        </p>
      </div>
      <button
        type="button"
        class="small ghost"
        onClick={() => onDismiss(notice.id)}
        aria-label={`Dismiss notice: ${notice.title}`}
      >
        ×
      </button>
    </div>
  );
}
