"""What happens in a contract's month close, announced to the layers above.

Sent with ``slaportal.signals.send_on_commit``; the keyword arguments are listed per signal.
"""

from django.dispatch import Signal

# A report was issued to the customer: the first revision or an amended one.
# report, amended (bool: revision after an issued one)
report_issued = Signal()

# A credit note was made for an issued month that owes credits. credit_note
credit_note_issued = Signal()

# A customer member disputed an item of an issued report. dispute
dispute_raised = Signal()

# The provider accepted or rejected a dispute. dispute
dispute_answered = Signal()

# A customer member acknowledged an issued report. acknowledgement
report_acknowledged = Signal()

# A warning before a target is missed was given, once. warning (BreachWarning)
breach_warning = Signal()
