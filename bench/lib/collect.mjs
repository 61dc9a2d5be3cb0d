// Every value an async iterable gives, in order: how the bench drains imap and imapUnordered.

/** The values of `iterable`, drained with `for await`. */
export async function collect(iterable) {
  const out = [];
  for await (const v of iterable) out.push(v);
  return out;
}
