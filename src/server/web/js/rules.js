// Live feedback on a line against the language's subtitle rules, counted the way dramaloc's
// QC counts (src/subtitles/check.cpp): characters are user-perceived characters (grapheme
// clusters), so Thai marks and Arabic diacritics do not count twice.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

export function graphemes(text) {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

// Greedy wrap at word boundaries (any script: Thai has no spaces) into lines of at most
// `width` characters; a word longer than a line stays whole.
export function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const { segment } of words.segment(text.trim())) {
    const candidate = line + segment;
    if (graphemes(candidate.trim()) > width && line.trim()) {
      lines.push(line.trim());
      line = segment.trimStart();
    } else {
      line = candidate;
    }
  }
  if (line.trim()) lines.push(line.trim());
  return lines;
}

// What the page shows under a line being edited.
export function check(text, startMs, endMs, rules) {
  const chars = graphemes(text);
  const seconds = Math.max(endMs - startMs, 1) / 1000;
  const cps = chars / seconds;
  const lines = wrap(text, rules.max_chars_per_line);
  const longest = Math.max(0, ...lines.map(graphemes));
  return {
    chars,
    cps,
    lines,
    cpsOver: cps > rules.max_chars_per_second + 1e-9,
    linesOver: lines.length > rules.max_lines,
    longest,
    lengthOver: longest > rules.max_chars_per_line,
  };
}

export function describe(result, rules) {
  const parts = [`${result.cps.toFixed(1)} CPS (max ${rules.max_chars_per_second})`,
    `${result.lines.length} line${result.lines.length === 1 ? '' : 's'} (max ${rules.max_lines}), longest ${result.longest} of ${rules.max_chars_per_line}`];
  return parts.join(' · ');
}
