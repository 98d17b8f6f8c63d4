/** The documents an office issues from its templates, one template file each. */
export const DOCUMENT_TYPES = ['受理告知书', '不予受理告知书', '延期告知书', '信访处理意见书', '转送交办函', '办结报告', '批办单', '退回函', '督办单', '催办单'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
