"""What happens to a contract's signing, announced to the layers above.

Sent with ``slaportal.signals.send_on_commit``; the keyword arguments are listed per signal.
"""

from django.dispatch import Signal

# A version was sent for signature. contract, request (SignatureRequest)
signature_requested = Signal()

# A signer declined; the request is closed. contract, request, signer (Signer), reason
signature_declined = Signal()

# Every party has signed: the version is in force and the contract active.
# contract, request, version
contract_activated = Signal()

# A request was not signed by its deadline and expired. contract, request
signature_expired = Signal()
