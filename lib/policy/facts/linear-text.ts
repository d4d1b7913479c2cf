/**
 * Text helpers for input anyone may write, each linear in the text. The regular expressions they
 * replace (`/\s*\n\s*\/g`, `/\/+$/`) restart at every position of a long run of spaces or slashes
 * and take quadratic time: 20,000 spaces in an error message took half a second, 200,000 a minute.
 */

/** `text` on one line: each line break, with the white space around it, becomes one space. */
export function joinLines(text: string): string {
  if (!text.includes("\n")) return text;
  const lines = text.split("\n");
  const last = lines.length - 1;
  return lines
    .map((line, i) => (i === 0 ? line.trimEnd() : i === last ? line.trimStart() : line.trim()))
    .filter((line, i) => line !== "" || i === 0 || i === last)
    .join(" ");
}

/** `text` without the `char`s at its end (`"/etc//"` → `"/etc"`). */
export function trimEndChar(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end -= 1;
  return text.slice(0, end);
}
