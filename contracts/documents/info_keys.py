"""Keys of the PDF document information dictionary that carry the portal's record.

Apart from the sealing code, so that modules naming a key do not load the cryptography the
seal needs."""

INFO_CODE = "/SLAPortalVerificationCode"
INFO_DOCUMENT_SHA256 = "/SLAPortalDocumentSHA256"
