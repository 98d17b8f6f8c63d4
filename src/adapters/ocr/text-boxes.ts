export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** DB post-processing constants from PaddleOCR's own defaults. */
const BINARY_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_SIDE = 3;

/**
 * Turns the detector's probability map into text-line boxes: connected regions above the
 * threshold, kept when their mean probability is high enough, grown back to the full line
 * height (the detector shrinks lines by design). Pages are levelled before this, so upright
 * rectangles are enough.
 */
export function findTextBoxes(probability: Float32Array, width: number, height: number): Box[] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: Box[] = [];
  let label = 0;
  for (let start = 0; start < probability.length; start++) {
    if (labels[start] !== 0 || probability[start]! <= BINARY_THRESHOLD) continue;
    label++;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    let minX = width, minY = height, maxX = 0, maxY = 0, area = 0, sum = 0;
    while (top > 0) {
      const at = stack[--top]!;
      const x = at % width;
      const y = (at - x) / width;
      area++;
      sum += probability[at]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const neighbours = [x > 0 ? at - 1 : -1, x < width - 1 ? at + 1 : -1, y > 0 ? at - width : -1, y < height - 1 ? at + width : -1];
      for (const n of neighbours) {
        if (n >= 0 && labels[n] === 0 && probability[n]! > BINARY_THRESHOLD) {
          labels[n] = label;
          stack[top++] = n;
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    if (Math.min(w, h) < MIN_SIDE || sum / area < BOX_THRESHOLD) continue;
    const distance = (w * h * UNCLIP_RATIO) / (2 * (w + h));
    boxes.push({ left: minX - distance, top: minY - distance, right: maxX + 1 + distance, bottom: maxY + 1 + distance });
  }
  return boxes;
}
