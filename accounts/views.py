"""Sign-up and log-in pages."""

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import rate_limit, throttle
from accounts.forms import LogInForm, SignUpForm
from accounts.roles import is_teacher


def _next_url(request: HttpRequest, user=None) -> str:
    """Where to go after logging in: ``next`` when it stays on this site, else a teacher's
    dashboard or a student's home."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    if user is not None and is_teacher(user):
        return resolve_url("teach_dashboard")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        # Counted before the form is read: every try (a new account, or a probe for a taken name) costs one.
        address = rate_limit.counter_key("signup", f"addr:{rate_limit.client_address(request)}")
        wait = rate_limit.hit({address: settings.SIGNUP_ADDRESS_LIMIT})
        if wait:
            refusal = rate_limit.wait_message("Too many sign-ups from this network.", wait)
            context = {"form": SignUpForm(), "refusal": refusal, "next": request.POST.get("next", "")}
            response = render(request, "registration/signup.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request))
        return render(request, "registration/signup.html", {"form": form}, status=400)
    return render(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")})


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    """Django's log-in form, with a clear 429 once failures for the account or address pile up."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LogInForm(request, data=request.POST if request.method == "POST" else None)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    if request.method in ("GET", "HEAD"):
        return render(request, "registration/login.html", context)
    if form.is_valid():
        login(request, form.get_user())
        # 0: the session cookie ends with the browser; else it lasts SESSION_COOKIE_AGE.
        request.session.set_expiry(settings.SESSION_COOKIE_AGE if form.cleaned_data.get("remember_me") else 0)
        return redirect(_next_url(request, form.get_user()))
    # Counted and decided by the throttle backend inside authenticate(), before the password.
    wait = getattr(request, throttle.PAUSE_ATTRIBUTE, 0)
    if wait:
        form.errors.clear()  # the pause is the news, not "wrong password"
        form.add_error(None, throttle.pause_message(wait))
        paused = render(request, "registration/login.html", context, status=429)
        paused["Retry-After"] = str(wait)
        return paused
    return render(request, "registration/login.html", context, status=400)
