// The page keys of a link, drawn: the lesson bar (step, text, question,
// Reveal, Previous and Next, the arrow keys), the prompt line, and the
// controls the link hides. The core reads and checks the keys (parseLink's
// `page`) and writes the lesson; this file only shows what it says. A step
// lives in the link, so moving to another one sets the hash and the page
// follows it as it follows any link.
const $ = (id) => document.getElementById(id);

let current = null;
let revealed = false;
let onReveal = () => {};

/** The elements built for a control: a method's cell and checkbox, a
 * setting's row. */
function built(name) {
  const box = document.querySelector(`#method-picker [data-method="${name}"]`);
  return [$(`cell-${name}`), box?.closest('label'), $(`set-${name}`)?.closest('.setting')].filter(Boolean);
}

/** The elements that stand for a control alone: those the markup names
 * by it (not the captions shared with others) and those built for it. */
const elements = (name) => [...document.querySelectorAll(`[data-name="${name}"]`), ...built(name)];

/** Hides what the link hides and what waits for Reveal: an element the
 * markup names goes when every control it names does; a settings group
 * whose every row is hidden goes too. */
function apply() {
  for (const e of document.querySelectorAll('[data-off]')) delete e.dataset.off;
  if (!current) return;
  const off = new Set([...current.hide, ...(revealed ? [] : current.lesson?.reveal ?? [])]);
  for (const e of document.querySelectorAll('[data-name]')) {
    if (e.dataset.name.split(' ').every((n) => off.has(n))) e.dataset.off = '';
  }
  for (const n of off) for (const e of built(n)) e.dataset.off = '';
  for (const f of document.querySelectorAll('#settings-grid fieldset')) {
    if (!f.querySelector('.setting:not([data-off])')) f.dataset.off = '';
  }
}

function draw() {
  const p = current;
  $('prompt').textContent = p.prompt ?? '';
  $('prompt').hidden = !p.prompt;
  const l = p.lesson;
  $('lesson').hidden = !l;
  if (!l) return;
  $('lesson-count').textContent = `Lesson, step ${l.step} of ${l.steps}`;
  $('lesson-title').textContent = l.title;
  $('lesson-text').textContent = l.text;
  $('lesson-question').textContent = l.question;
  $('lesson-question').hidden = !l.question;
  $('lesson-reveal').hidden = revealed || !l.reveal.length;
  $('lesson-prev').disabled = l.step <= 1;
  $('lesson-next').disabled = l.step >= l.steps;
}

/** Moves the lesson by `d` steps through the link. */
function move(d) {
  const l = current?.lesson;
  const step = l && Math.min(l.steps, Math.max(1, l.step + d));
  if (step && step !== l.step) location.hash = `lesson=${l.name}&step=${step}`;
}

function wire() {
  $('lesson-prev').addEventListener('click', () => move(-1));
  $('lesson-next').addEventListener('click', () => move(1));
  $('lesson-reveal').addEventListener('click', () => {
    revealed = true;
    apply();
    draw();
    $('lesson-question').focus();
    onReveal();
  });
  document.addEventListener('keydown', (e) => {
    const d = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    // Arrows in a field, a slider, the colour chooser or the arm's target
    // are theirs; the lesson takes the rest.
    if (!d || e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    if (e.target.closest('input, select, textarea, [contenteditable], dialog')) return;
    e.preventDefault();
    move(d);
  });
  // The line-up's cells and the settings' rows are built after the link is
  // read: hide them as they come.
  const watch = new MutationObserver(apply);
  for (const id of ['posterior-grid', 'method-picker', 'settings-grid']) watch.observe($(id), { childList: true });
}

/** Shows a link's page keys (`page` of parseLink). `reveal()` is called
 * when the lesson's hidden panels are revealed. */
export function showPage(page, reveal = onReveal) {
  if (!current) wire();
  const step = (p) => (p?.lesson ? p.lesson.step : 0);
  if (step(page) !== step(current)) revealed = false;
  current = page;
  onReveal = reveal;
  apply();
  draw();
}

// What the tests read: the page keys shown, and how many visible elements
// stand for a control (and how many in all).
window.innLesson = {
  page: () => current,
  count: (name) => {
    const els = elements(name);
    return { all: els.length, visible: els.filter((e) => e.checkVisibility()).length };
  },
};
