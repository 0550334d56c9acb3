'use strict';
/**
 * stingerdb — should you stay for the credits? Generated package file (source:
 * src/publish/package/answers/index.cjs in the stingerdb repository); do not edit it in the published package.
 *
 * The answers of every film, read without parsing them all: `movies.answers.json` holds one film per line, as
 * an array of values in the order of the index's `columns`; `movies.index.json` gives the byte range of each
 * line, the ids sorted (found by binary search; stored as the lines of one string, which parses several times
 * faster than an array) and `whys` (lines likewise), each sentence a why column points at; `movies.tmdb.json`
 * the TMDB ids ascending with their rows, parsed on the first `findByTmdbId`. The index is parsed on the first
 * lookup, the titles (`movies.titles.json`) on the first search; `all()` parses every line once, on demand, and
 * freezes the answers deeply. Nothing is read at import time. Zero dependencies: only `node:fs` and `node:path`.
 *
 * A process may outlive a publish into the folder it reads: every call checks which snapshot is on disk (the
 * identity of `movies.answers.json`) and answers from one snapshot, never from a mix (see the reading part
 * below, the full records reader's, copied at publish). Full records: the companion package stingerdb-records,
 * the same lookups returning `Movie`.
 */
/** The file whose identity is the snapshot's, and that holds one film per line. */
const RECORDS = 'movies.answers.json';

// Reading a snapshot that a publish may replace (part, readLine, consistently): the records reader's, copied here.
/* stingerdb:node */

/* stingerdb:core */

// stingerdb:answers — decoding a line; shared word for word with browser.js (the publish copies it there).
/**
 * The index as the lookups use it: its ids and whys, stored as lines of one string (they parse faster so), split
 * once; the columns it names as positions in `whys` (`whyColumns`), as a set.
 */
function unpacked(index) {
  if (typeof index.ids === 'string') {
    index.ids = index.ids === '' ? [] : index.ids.split('\n');
    index.whys = index.whys === '' ? [] : index.whys.split('\n');
    index.whyColumns = new Set(index.whyColumns);
  }
  return index;
}

/** The answer of a line of `movies.answers.json` (`index`: the parsed `movies.index.json`). */
function answerOf(index, line) {
  const answer = {};
  for (let i = 0; i < index.columns.length; i++) {
    const column = index.columns[i];
    answer[column] = index.whyColumns.has(column) ? index.whys[line[i]] : line[i];
  }
  return answer;
}

/** The credit verdict and the answer per slot of an answer (what `creditScenes(id)` gives), or undefined. */
function creditOf(answer) {
  if (!answer) return undefined;
  const slot = (name) => ({ answer: answer[`${name}Answer`], probability: answer[`${name}Probability`], basis: answer[`${name}Basis`], why: answer[`${name}Why`] });
  return { during: answer.during, after: answer.after, confidence: answer.confidence, slots: { during: slot('during'), after: slot('after') } };
}
// stingerdb:end-answers

/** The index of snapshot `s`, parsed once and unpacked. */
function indexOf(s) {
  return unpacked(part(s, 'index', 'movies.index.json'));
}

/** The answer of a row of snapshot `s`. */
function readRow(s, row) {
  return answerOf(indexOf(s), readLine(s, row));
}

/** The index that finds a row by id, and the one by TMDB id (read by the first findByTmdbId only). */
const rowIndex = indexOf;
const tmdbIndex = (s) => part(s, 'tmdb', 'movies.tmdb.json');
/** What `creditScenes` gives of an answer. */
const verdict = creditOf;

// getMovie, findByTmdbId, creditScenes, search, info and scores: the records reader's, copied here.
/* stingerdb:lookups */

function all() {
  return consistently((s) => {
    if (s.everything === null) {
      const index = indexOf(s);
      const lines = part(s, 'lines', RECORDS);
      s.lines = null; // parsed for this once: the answers are what is kept
      s.everything = deepFreeze(lines.map((line) => answerOf(index, line)));
    }
    return s.everything;
  });
}

module.exports = { getMovie, findByTmdbId, creditScenes, search, all, info, scores, fold };
