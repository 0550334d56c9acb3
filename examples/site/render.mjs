// @ts-check
/**
 * The example site's pages, as pure functions of stingerdb records: one page per film answering "Does <title>
 * have end credit scenes?", and an index with client-side search. No I/O here (build.mjs writes the files),
 * no dependencies.
 *
 * The rules the seed page broke and this one keeps: a missing score is "not rated", never "0%" or a bare "%";
 * an unknown verdict is "not known yet", never "No" — "No" needs a source's positive evidence for both slots.
 * Every piece of data is plain text from the dataset and is HTML-escaped where it is written.
 *
 * @typedef {import('stingerdb-records').Movie} Movie
 * @typedef {import('stingerdb-records').CreditScenes} CreditScenes
 * @typedef {CreditScenes['slots']['during']} SlotAnswer
 * @typedef {import('stingerdb-records').ScoreInfo} ScoreInfo
 * @typedef {{ version: string, attributions: string[], scores: ScoreInfo[], fold: (text: string) => string }} SiteInfo
 *   what the site takes from the package: its version, the attributions its sources ask for, the scores it
 *   carries (`scores()`) and its title fold (`fold`, the one its search uses)
 */

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(/** @type {unknown} */ value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The file name of a film's page: "tmdb:123" would read as a URL scheme, so the colon becomes a dash. */
export function pageName(/** @type {string} */ id) {
  return `${id.replace(/[^A-Za-z0-9]/g, '-')}.html`;
}

/**
 * The headline answer, from the two slot answers (`creditScenes.slots`): "yes" when either slot is "yes", "no"
 * when both are "no"; otherwise "probably" / "probably-not" by the chance of a scene in either slot (the slots
 * taken as independent), or "unknown" when nothing is known.
 * @param {Pick<CreditScenes, 'slots'>} verdict
 * @returns {{ answer: 'yes' | 'no' | 'probably' | 'probably-not' | 'unknown', probability: number | null }}
 */
export function answerOf(verdict) {
  const { during, after } = verdict.slots;
  const any = during.probability === null || after.probability === null ? null : 1 - (1 - during.probability) * (1 - after.probability);
  if (during.answer === 'yes' || after.answer === 'yes') return { answer: 'yes', probability: any };
  if (during.answer === 'no' && after.answer === 'no') return { answer: 'no', probability: any };
  if (any === null) return { answer: 'unknown', probability: null };
  return { answer: any >= 0.5 ? 'probably' : 'probably-not', probability: any };
}

/** The headline in words: "Yes", "No", "Probably not (96%)" (how sure we are there is none), "Probably (80%)". */
export function answerWords(/** @type {ReturnType<typeof answerOf>} */ { answer, probability }) {
  if (answer === 'probably') return `Probably (${Math.round(100 * /** @type {number} */ (probability))}%)`;
  if (answer === 'probably-not') return `Probably not (${Math.round(100 * (1 - /** @type {number} */ (probability)))}%)`;
  return ANSWER_WORDS[answer];
}

const ANSWER_WORDS = { yes: 'Yes', no: 'No', unknown: 'Not known yet' };

/** What each kind of credit item is, for people; only scenes and bloopers make a slot true. */
const KIND_WORDS = {
  scene: 'a scene',
  bloopers: 'bloopers or outtakes',
  audio: 'audio only (not a scene)',
  stills: 'still images (not a scene)',
  dedication: 'a dedication card (not a scene)',
  text: 'a text card (not a scene)',
};

const SOURCE_NAMES = {
  tmdb: 'TMDB',
  omdb: 'OMDb',
  wikidata: 'Wikidata',
  rottentomatoes: 'Rotten Tomatoes',
  metacritic: 'Metacritic',
  imdb: 'IMDb',
  aftercredits: 'AfterCredits',
  mcuapi: 'MCU API',
};

/** @param {string} source */
function sourceName(source) {
  return /** @type {Record<string, string>} */ (SOURCE_NAMES)[source] ?? source;
}

/** "2017-11-29T15:08:28Z" → "2017-11-29"; reduced-precision dates ("2018-12") stay as they are. */
function day(/** @type {string} */ observedAt) {
  return observedAt.slice(0, 10);
}

/** The sentence under the answer. */
function verdictSentence(/** @type {string} */ title, /** @type {CreditScenes} */ verdict) {
  const { answer } = answerOf(verdict);
  /** @param {'during' | 'after'} slot */
  const where = (slot) => (slot === 'during' ? 'during the credits' : 'after the credits');
  const { slots } = verdict;
  if (answer === 'no') return `${title} does not have end credit scenes.`;
  if (answer === 'yes') {
    const yes = /** @type {const} */ (['during', 'after']).filter((slot) => slots[slot].answer === 'yes');
    const other = /** @type {const} */ (['during', 'after']).find((slot) => slots[slot].answer !== 'yes');
    const first = `${title} has a scene ${yes.map(where).join(' and ')}.`;
    if (!other) return first;
    return slots[other].answer === 'no' ? `${first} There is none ${where(other)}.` : `${first} Whether there is one ${where(other)} is not sure.`;
  }
  if (answer === 'unknown') return `We do not know yet whether ${title} has end credit scenes.`;
  return answer === 'probably-not' ? `${title} probably has no end credit scene.` : `${title} probably has an end credit scene.`;
}

/** A slot's answer in words: "yes", "no", "probably not (90%)", "probably (75%)", "not known yet". */
function slotWord(/** @type {SlotAnswer} */ a) {
  if (a.answer !== 'unknown') return a.answer;
  if (a.probability === null) return 'not known yet';
  return a.probability >= 0.5 ? `probably (${Math.round(100 * a.probability)}%)` : `probably not (${Math.round(100 * (1 - a.probability))}%)`;
}

/** A score's value as people read it, by the way the package says it is written. */
function showScore(/** @type {ScoreInfo} */ score, /** @type {number} */ value) {
  switch (score.display) {
    case 'out-of-100':
      return `${value}/100`;
    case 'percent':
      return `${value}%`;
    case 'out-of-10':
      return `${value.toFixed(1)}/10`;
    case 'ten-point-as-percent':
      return `${Math.round(value * 10)}%`;
  }
  return String(value);
}

/**
 * One row per score the package carries (the seed page's five and the IMDb rating), each with its source and
 * date, "not rated" when missing.
 * @param {Movie['scores']} scores
 * @param {ScoreInfo[]} catalogue the package's `scores()`
 */
export function scoreRows(scores, catalogue) {
  return catalogue.map((score) => {
    /** @type {Record<string, unknown> & { source: string, observedAt: string } | undefined} */
    const group = /** @type {any} */ (scores)[score.group];
    const value = /** @type {number | null | undefined} */ (group?.[score.field]);
    const count = /** @type {number | undefined} */ (group?.[score.count]);
    return {
      name: score.label,
      value: value === null || value === undefined ? null : showScore(score, value),
      count: value === null || value === undefined || count === undefined ? null : `${count.toLocaleString('en-US')} ${score.countWord}`,
      source: group ? `${sourceName(group.source)}, ${day(group.observedAt)}` : null,
    };
  });
}

/** @param {SiteInfo} site */
function footer(site) {
  return `<footer>
<p>Data: <a href="https://www.npmjs.com/package/stingerdb">stingerdb</a> ${escapeHtml(site.version)}. A missing score is "not rated", never 0.</p>
${site.attributions.map((a) => `<p>${escapeHtml(a)}</p>`).join('\n')}
</footer>`;
}

/** @param {string} title @param {string} description @param {string} root @param {string} body */
function htmlDocument(title, description, root, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="stylesheet" href="${root}site.css">
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The page of one film (which must have a title).
 * @param {Movie} movie
 * @param {SiteInfo} site
 */
export function filmPage(movie, site) {
  const title = /** @type {string} */ (movie.title);
  const verdict = movie.creditScenes;
  const headline = answerOf(verdict);
  const answer = headline.answer;
  const facts = [
    movie.year,
    movie.runtimeMinutes && `${movie.runtimeMinutes} min`,
    movie.directors.length ? `Directed by ${movie.directors.join(', ')}` : null,
    movie.genres.join(', ') || null,
  ].filter(Boolean);
  const scenes = verdict.scenes.length
    ? `<ul>${verdict.scenes
        .map((s) => `<li>${s.position === 'during' ? 'During' : 'After'} the credits: ${escapeHtml(/** @type {Record<string, string>} */ (KIND_WORDS)[s.kind] ?? s.kind)}${s.description ? ` — ${escapeHtml(s.description)}` : ''}</li>`)
        .join('')}</ul>`
    : '<p>The sources do not say what kind of scene it is.</p>';
  const spoiler =
    verdict.scenes.length || answer === 'yes'
      ? `<details class="spoiler">
<summary>${answer === 'yes' ? 'What kind of scene?' : 'What plays in the credits?'} (spoiler)</summary>
${scenes}
</details>`
      : '';
  const evidence = verdict.evidence.length
    ? `Based on ${verdict.evidence.map((e) => `${escapeHtml(sourceName(e.source))} (${escapeHtml(day(e.observedAt))})`).join(', ')}.`
    : 'No source has reported on the end credits of this film yet.';
  const rows = scoreRows(movie.scores, site.scores)
    .map(
      (row) => `<tr class="${row.value === null ? 'not-rated' : 'rated'}">
<th scope="row">${escapeHtml(row.name)}</th>
<td class="score">${row.value === null ? 'not rated' : escapeHtml(row.value)}</td>
<td class="source">${row.source ? escapeHtml(row.source) : '—'}${row.count ? `<br><span class="count">${escapeHtml(row.count)}</span>` : ''}</td>
</tr>`,
    )
    .join('\n');
  const body = `<header><a href="../index.html">stingerdb</a> · does it have end credit scenes?</header>
<main>
<h1>Does ${escapeHtml(title)} have end credit scenes?</h1>
${facts.length ? `<p class="facts">${facts.map(escapeHtml).join(' · ')}</p>` : ''}
<section class="verdict verdict-${answer}" aria-label="Verdict">
<p class="answer">${escapeHtml(answerWords(headline))}</p>
<p class="sentence">${escapeHtml(verdictSentence(title, verdict))}</p>
<ul class="slots">
<li>During the credits: <strong>${escapeHtml(slotWord(verdict.slots.during))}</strong> <span class="why">${escapeHtml(verdict.slots.during.why)}</span></li>
<li>After the credits: <strong>${escapeHtml(slotWord(verdict.slots.after))}</strong> <span class="why">${escapeHtml(verdict.slots.after.why)}</span></li>
</ul>
${spoiler}
<p class="evidence">${evidence}${verdict.evidence.length ? ` Confidence ${Math.round(verdict.confidence * 100)}%.` : ''}</p>
</section>
<section class="scores" aria-label="Scores">
<h2>Scores</h2>
<table>
<thead><tr><th scope="col">Score</th><th scope="col">Value</th><th scope="col">Source, date</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
<section class="synopsis" aria-label="Synopsis">
<h2>Synopsis</h2>
<p>${movie.synopsis ? escapeHtml(movie.synopsis) : 'No synopsis yet.'}</p>
</section>
</main>
${footer(site)}`;
  const description = `${answerWords(headline)}. ${verdictSentence(title, verdict)}`;
  return htmlDocument(`Does ${title}${movie.year ? ` (${movie.year})` : ''} have end credit scenes?`, description, '../', body);
}

/**
 * The index: every film with a title, its answer, and a search box that filters the list as you type
 * (the full list stays usable without JavaScript).
 * @param {Movie[]} movies films with a title
 * @param {SiteInfo} site
 */
export function indexPage(movies, site) {
  const items = movies
    .map((m) => {
      const headline = answerOf(m.creditScenes);
      const answer = headline.answer;
      const terms = site.fold([m.title, m.originalTitle, m.year].filter(Boolean).join(' '));
      return `<li data-terms="${escapeHtml(terms)}"><a href="films/${pageName(m.id)}">${escapeHtml(m.title)}</a>${m.year ? ` <span class="year">(${m.year})</span>` : ''} <span class="badge badge-${answer}">${escapeHtml(answerWords(headline))}</span></li>`;
    })
    .join('\n');
  const body = `<header>stingerdb · does it have end credit scenes?</header>
<main>
<h1>Is there a scene after the credits?</h1>
<form role="search" onsubmit="return false">
<label for="search">Search a film</label>
<input id="search" type="search" placeholder="e.g. the matrix" autocomplete="off">
</form>
<p id="count">${movies.length} films</p>
<ul id="films">
${items}
</ul>
<p id="no-results" hidden>No film matches.</p>
</main>
${footer(site)}
<script>
const fold = ${site.fold.toString()};
const input = document.getElementById('search');
const items = [...document.querySelectorAll('#films li')];
input.addEventListener('input', () => {
  const words = fold(input.value).split(' ').filter(Boolean);
  let shown = 0;
  for (const item of items) {
    const terms = ' ' + item.dataset.terms + ' ';
    const match = words.every((w) => terms.includes(' ' + w));
    item.hidden = !match;
    if (match) shown++;
  }
  document.getElementById('count').textContent = shown + (shown === 1 ? ' film' : ' films');
  document.getElementById('no-results').hidden = shown > 0;
});
</script>`;
  return htmlDocument('Does it have end credit scenes? — stingerdb', 'Is there a scene during or after the end credits? Search a film.', '', body);
}

/** The site's stylesheet. */
export const STYLESHEET = `:root { color-scheme: light dark; --yes: #1a7f37; --no: #9a6700; --unknown: #6e7781; }
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
header { font-weight: 600; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
.facts, .count, .year, footer { color: #6e7781; }
.verdict { border: 2px solid var(--unknown); border-radius: .5rem; padding: .5rem 1rem; }
.verdict-yes { border-color: var(--yes); } .verdict-no { border-color: var(--no); }
.answer { font-size: 2rem; font-weight: 700; margin: 0; }
.verdict-yes .answer { color: var(--yes); } .verdict-no .answer, .verdict-probably-not .answer { color: var(--no); } .verdict-unknown .answer, .verdict-probably .answer { color: var(--unknown); }
.why { display: block; font-size: .9em; opacity: .8; }
details.spoiler summary { cursor: pointer; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
.not-rated .score { color: #6e7781; font-style: italic; }
#films { list-style: none; padding: 0; } #films li { padding: .2rem 0; }
.badge { font-size: .8rem; padding: 0 .4rem; border-radius: .4rem; border: 1px solid currentColor; }
.badge-yes { color: var(--yes); } .badge-no, .badge-probably-not { color: var(--no); } .badge-unknown, .badge-probably { color: var(--unknown); }
input[type=search] { font: inherit; padding: .3rem .5rem; width: 100%; box-sizing: border-box; }
footer { margin-top: 2rem; font-size: .85rem; }
`;
