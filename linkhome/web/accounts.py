"""Account pages: sign up, nickname, the account page (the private feed's address). Thin: forms
in, account services out."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linkhome.accounts import services
from linkhome.accounts.signed_in import SignedInRequest


class SignUpForm(UserCreationForm):
    pass


class NicknameForm(forms.Form):
    nickname = forms.CharField(
        label=gettext_lazy("Nickname"), max_length=services.MAX_NICKNAME_LENGTH
    )


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(form.cleaned_data["username"], form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request))
    return render(request, "registration/signup.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    # No open redirects: only a path on this site.
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed else "/"


@login_required
def nickname(request: SignedInRequest) -> HttpResponse:
    form = NicknameForm(
        request.POST or None, initial={"nickname": services.nickname_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_nickname(request.user, form.cleaned_data["nickname"])
        except services.AccountError as exc:
            form.add_error("nickname", str(exc))
        else:
            messages.success(request, _("Nickname saved."))
            return redirect("nickname")
    return render(request, "registration/nickname.html", {"form": form})


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    """The account page: nickname, password, and the private feed's secret address."""
    secret = services.feed_secret(request.user)
    feeds = None
    if secret:
        feeds = {
            fmt: request.build_absolute_uri(
                reverse("private_feed", kwargs={"secret": secret, "fmt": fmt})
            )
            for fmt in ("atom", "rss")
        }
    context = {"nickname": services.nickname_of(request.user), "private_feeds": feeds}
    return render(request, "web/account.html", context)


@login_required
@require_POST
def feed_address(request: SignedInRequest) -> HttpResponse:
    """Make, replace or revoke the private feed's secret address."""
    action = request.POST.get("action")
    if action in ("create", "rotate"):
        services.new_feed_address(request.user)
        if action == "rotate":
            messages.success(request, _("New feed address made; the old one no longer works."))
        else:
            messages.success(request, _("Private feed address made."))
    elif action == "revoke":
        services.revoke_feed_address(request.user)
        messages.success(request, _("Private feed address revoked; it no longer works."))
    return redirect("account")
