/** True when `text` holds a C0 or C1 control character other than the newline. */
export function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
  });
}
