/** A page image as the program passes it between stages: ours, not any image library's. */

/** One page as 8-bit grayscale pixels, one byte a pixel, row by row. */
export interface GrayImage {
  data: Buffer;
  width: number;
  height: number;
}

/** A page image as kept in the searchable PDF: encoded JPEG bytes and their size in pixels. */
export interface KeptImage {
  jpeg: Buffer;
  width: number;
  height: number;
}
