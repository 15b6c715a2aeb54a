/** The tracking snippet for a site, with a copy button. */
import { CopyButton } from './CopyButton';

export function snippetFor(domain: string, origin: string): string {
  return `<script defer data-site="${domain}" src="${origin}/t.js"></script>`;
}

export function Snippet({ domain, origin }: { domain: string; origin: string }) {
  const code = snippetFor(domain, origin);
  return (
    <div className="snippet">
      <pre tabIndex={0} aria-label="Tracking snippet" data-testid="snippet">
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label="Copy snippet" />
    </div>
  );
}
