"""Exports for drafters: a consultation's comments and responses as CSV, XLSX, JSON and
a DOCX feedback digest (PRODUCT.md C6). Reads only, apart from the audit entry each
staff export writes (`operations.record_export`)."""
