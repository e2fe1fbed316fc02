// The face-scoring page: upload (picker, drag and drop, phone camera), preview, progress, and the
// result drawn over the photo. Talks only to this server's /api.

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Face {
  box: Box;
  landmarks: { x: number; y: number }[];
  age: number;
  gender: { label: string; probability: number };
  group: { label: string; probability: number; source: string };
  score: { level: number; label: string; probability: number; probabilities: { label: string; probability: number }[] };
}
interface ScoreResponse {
  status: 'none' | 'one' | 'several';
  message: string;
  image: { width: number; height: number };
  faces: Face[];
  used: number | null;
  lookalikes: { rank: number; name: string; distance: number; probability: number | null; thumbnail: string }[];
  latency_ms: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('canvas');
let photo: File | null = null;
let bitmap: ImageBitmap | null = null;
let answer: ScoreResponse | null = null;
let selected = 0;

function show(id: string, on: boolean): void {
  $(id).hidden = !on;
}
function busy(on: boolean, text = 'Analysing…'): void {
  show('progress', on);
  if (!on) show('preview', false);
  $('progress-text').textContent = text;
  for (const b of document.querySelectorAll<HTMLButtonElement>('button')) b.disabled = on;
}
function fail(message: string): void {
  $('error').textContent = message;
  show('error', true);
}
function pct(p: number): string {
  return `${(100 * p).toFixed(0)}%`;
}

async function post(path: string, file: File): Promise<Response> {
  const form = new FormData();
  form.append('photo', file, file.name || 'photo');
  return fetch(path, { method: 'POST', body: form });
}

async function errorOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string };
    return body.error ?? `the server answered ${res.status}`;
  } catch {
    return `the server answered ${res.status}`;
  }
}

function draw(): void {
  if (!bitmap || !answer) return;
  canvas.width = answer.image.width;
  canvas.height = answer.image.height;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const line = Math.max(2, Math.round(canvas.width / 400));
  answer.faces.forEach((f, i) => {
    const chosen = i === selected;
    ctx.lineWidth = chosen ? line * 1.6 : line;
    ctx.strokeStyle = chosen ? '#38d96b' : 'rgba(255,255,255,0.85)';
    ctx.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    if (chosen) {
      ctx.fillStyle = '#38d96b';
      for (const p of f.landmarks) ctx.fillRect(p.x - line / 2, p.y - line / 2, line, line);
    }
  });
}

function render(): void {
  if (!answer) return;
  const a = answer;
  show('result', true);
  $('status').textContent = a.message;
  $('status').dataset.status = a.status;
  const facts = $('facts');
  const levels = $('levels');
  facts.replaceChildren();
  levels.replaceChildren();
  const face = a.faces[selected];
  const add = (k: string, v: string, id: string) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.id = id;
    facts.append(dt, dd);
  };
  if (face) {
    const groupName = face.group.source === 'none' ? `${face.gender.label} (no gate)` : face.group.label;
    add('Group', `${groupName} · ${pct(face.group.probability)}`, 'group');
    add('Score', `${face.score.label} (level ${face.score.level} of ${face.score.probabilities.length})`, 'score');
    add('Estimated age', `${Math.round(face.age)}`, 'age');
    add('Faces', `${a.faces.length} (${selected === 0 ? 'largest' : `face ${selected + 1}`} shown)`, 'faces');
    add('Server time', `${a.latency_ms} ms`, 'latency');
    for (const p of face.score.probabilities) {
      const row = document.createElement('div');
      row.className = `level${p.label === face.score.label ? ' chosen' : ''}`;
      const name = document.createElement('span');
      name.textContent = p.label;
      const bar = document.createElement('div');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.style.width = pct(p.probability);
      bar.append(fill);
      const value = document.createElement('span');
      value.textContent = pct(p.probability);
      row.append(name, bar, value);
      levels.append(row);
    }
  }
  const list = $('lookalikes');
  list.replaceChildren();
  for (const l of a.lookalikes) {
    const li = document.createElement('li');
    const img = document.createElement('img');
    img.src = l.thumbnail;
    img.alt = l.name;
    const text = document.createElement('span');
    text.textContent = `${l.rank}. ${l.name} · distance ${l.distance.toFixed(3)}${l.probability === null ? '' : ` · same person ${pct(l.probability)}`}`;
    li.append(img, text);
    list.append(li);
  }
  show('portrait', a.faces.length > 0);
  draw();
}

async function analyse(file: File): Promise<void> {
  show('error', false);
  show('portrait-result', false);
  photo = file;
  // A preview of the upload while the server works (a file the browser cannot show stays hidden).
  const preview = $<HTMLImageElement>('preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.onload = () => show('preview', true);
  preview.onerror = () => show('preview', false);
  busy(true);
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => null);
    const res = await post('/api/score', file);
    if (!res.ok) {
      show('result', false);
      fail(await errorOf(res));
      return;
    }
    answer = (await res.json()) as ScoreResponse;
    selected = 0;
    render();
  } catch (e) {
    fail(`the request failed: ${(e as Error).message}`);
  } finally {
    busy(false);
  }
}

canvas.addEventListener('click', (ev) => {
  if (!answer) return;
  const r = canvas.getBoundingClientRect();
  const x = ((ev.clientX - r.left) * canvas.width) / r.width;
  const y = ((ev.clientY - r.top) * canvas.height) / r.height;
  const hit = answer.faces.findIndex((f) => x >= f.box.x && x <= f.box.x + f.box.width && y >= f.box.y && y <= f.box.y + f.box.height);
  if (hit >= 0) {
    selected = hit;
    render();
  }
});

$('portrait').addEventListener('click', async () => {
  if (!photo) return;
  show('error', false);
  busy(true, 'Blurring the background…');
  try {
    const res = await post('/api/portrait', photo);
    if (!res.ok) {
      fail(await errorOf(res));
      return;
    }
    $<HTMLImageElement>('portrait-img').src = URL.createObjectURL(await res.blob());
    show('portrait-result', true);
  } finally {
    busy(false);
  }
});

for (const id of ['file', 'camera']) {
  $<HTMLInputElement>(id).addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void analyse(f);
  });
}
const drop = $('drop');
drop.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => {
  ev.preventDefault();
  drop.classList.remove('over');
  const f = ev.dataTransfer?.files?.[0];
  if (f) void analyse(f);
});

fetch('/api/model')
  .then((r) => r.json())
  .then((m: { description: string; demo: boolean }) => {
    $('model-note').textContent = m.demo ? `⚠ ${m.description}` : m.description;
  })
  .catch(() => {
    $('model-note').textContent = 'The model description could not be loaded.';
  });
