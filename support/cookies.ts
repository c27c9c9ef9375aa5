/**
 * The `Cookie` header a browser sends back after `response`: the name=value pairs of its
 * Set-Cookie lines, leaving out cookies it clears (Max-Age=0).
 */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .filter((line) => !/max-age=0/i.test(line))
    .map((line) => line.split(";")[0] ?? "")
    .join("; ");
}
