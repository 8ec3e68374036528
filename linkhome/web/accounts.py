"""Account pages: sign up, nickname, the account page with its API tokens and the private
feed's address. Thin: forms in, account services out."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from linkhome.accounts import services
from linkhome.accounts.models import ApiToken
from linkhome.accounts.signed_in import SignedInRequest
from linkhome.web import watch_default


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


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=services.MAX_TOKEN_NAME_LENGTH)


@login_required
@require_safe
def account(request: SignedInRequest) -> HttpResponse:
    """The account page: nickname and password links, the person's API tokens and the
    private feed's secret address."""
    return _account_page(request, TokenForm())


def _account_page(
    request: SignedInRequest, form: TokenForm, new_token: ApiToken | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": services.tokens_of(request.user),
        "new_token": new_token,
        "private_feeds": _private_feeds(request),
        "watch_default": watch_default.section(request.user),
    }
    response = render(request, "web/account.html", context, status=status)
    if new_token is not None:
        # The key is in this answer only: no cache, no "back" to it from another page.
        response["Cache-Control"] = "no-store"
    return response


def _private_feeds(request: SignedInRequest) -> dict[str, str] | None:
    secret = services.feed_secret(request.user)
    if not secret:
        return None
    return {
        fmt: request.build_absolute_uri(
            reverse("private_feed", kwargs={"secret": secret, "fmt": fmt})
        )
        for fmt in ("atom", "rss")
    }


@login_required
@require_POST
def create_token(request: SignedInRequest) -> HttpResponse:
    """A new named token; its key is shown in this answer, once (never stored in a message,
    the session, or a page that can be loaded again)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    try:
        token = services.create_token(request.user, form.cleaned_data["name"])
    except services.AccountError:
        form.add_error("name", _("A token's name has 1 to 100 characters."))
        return _account_page(request, form, status=400)
    return _account_page(request, TokenForm(), new_token=token)


@login_required
@require_POST
def revoke_token(request: SignedInRequest, token_id: int) -> HttpResponse:
    """Revokes one of the person's tokens: the API refuses it from the next call on."""
    if not services.revoke_token(request.user, token_id):
        raise Http404("no such token")  # someone else's token does not exist for you
    messages.success(request, _("The token was revoked: programs using it are refused now."))
    return redirect("account")


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
