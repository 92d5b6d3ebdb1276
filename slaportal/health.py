"""A liveness answer for load balancers and monitors: the process serves requests.

It reads no database, cache or session, so it stays cheap and answers even while a
dependency is down; it is also the baseline of bench/load.py.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
