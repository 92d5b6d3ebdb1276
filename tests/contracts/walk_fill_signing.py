"""Signing's URL keywords for the tenancy walk: a signature request on frozen version 1.

The verification page (``compliance:verify``) is public: anyone holding a signed PDF may
check it, and the page shows only what the uploaded file itself names.
"""

from contracts.models import Side, SignatureRequest, Signer, Version

OWN = {"compliance:verify"}


def fill(tenants) -> dict:
    version = Version.objects.get(contract=tenants.contract, number=1)
    request = SignatureRequest.objects.create(
        version=version,
        created_by=tenants.provider_author,
        document="signing/walk.pdf",
        document_sha256="0" * 64,
    )
    Signer.objects.create(
        request=request,
        organisation=tenants.customer,
        side=Side.CUSTOMER,
        order=1,
        user=tenants.customer_signer,
        email=tenants.customer_signer.email,
    )
    return {"request_id": request.pk}
