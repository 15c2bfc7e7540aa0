// A minimal read-only session list until the review console (its own issue) arrives.
// Everything captured is set with textContent: never parsed as HTML.

export const consolePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kx</title></head>
<body>
<h1>kx sessions</h1>
<p>The review console arrives with its own issue; this page lists what the Recorder stored.</p>
<ul id="sessions"></ul>
<pre id="detail"></pre>
<script type="module" src="/ui/console.js"></script>
</body></html>`;

export const consoleScript = `
const list = document.getElementById('sessions');
const detail = document.getElementById('detail');
const res = await fetch('/api/sessions');
const { sessions } = await res.json();
for (const s of sessions) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = '#' + encodeURIComponent(s.id);
  a.textContent = s.id + ' (' + (s.client ?? 'unknown client') + ', ' + s.turnCount + ' turns, ' + s.requestCount + ' requests)';
  a.addEventListener('click', async () => {
    const d = await (await fetch('/api/sessions/' + encodeURIComponent(s.id))).json();
    const lines = [];
    for (const t of d.turns) {
      lines.push('— turn ' + t.seq + ' (' + t.status + ')');
      for (const i of t.items) lines.push('  [' + i.kind + '] ' + (i.toolName ? i.toolName + ' ' : '') + (i.text ?? i.arguments ?? i.output ?? ''));
    }
    detail.textContent = lines.join('\\n');
  });
  li.append(a);
  list.append(li);
}
`;
