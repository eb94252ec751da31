/** Local time as epoch ms with a sub-millisecond fraction (comparable across processes on one host). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
