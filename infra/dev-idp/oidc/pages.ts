/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A complete, accessible Italian page (no scripts, no external assets) around `body`, which the
 * caller must already have escaped.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · PontePA (ambiente di sviluppo)</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f2f4f7; color: #17324d; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #5c6f82; border-radius: 4px; }
  input:focus, button:focus { outline: 3px solid #ff9900; outline-offset: 2px; }
  button { margin-top: 1.5rem; padding: .7rem 1.2rem; font-size: 1rem; border: 0; border-radius: 4px; background: #0066cc; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #0066cc; border: 1px solid #0066cc; }
  .error { background: #fbe9e9; border-left: 4px solid #d9364f; padding: .75rem; }
  .note { font-size: .9rem; color: #5c6f82; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
