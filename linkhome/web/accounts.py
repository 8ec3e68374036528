"""Account pages: sign up, nickname. Thin: forms in, account services out."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
