"""Sign up, sign in, nickname and password pages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from linkhome.accounts.models import Profile
from linkhome.accounts.services import create_user
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def test_signing_up_creates_an_account_with_a_generated_nickname_and_signs_in():
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="newbie")
    nickname = Profile.objects.get(user=user).nickname
    assert "的" in nickname
    assert nickname in client.get("/").content.decode()


def test_sign_up_never_redirects_off_site():
    response = Client().post(
        "/accounts/signup/?next=https://evil.example/",
        {
            "username": "x1",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response["Location"] == "/"


def test_sign_in_never_redirects_off_site(owner):
    response = Client().post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "owner", "password": "owner-password"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_person_may_change_their_nickname_to_a_free_one(owner, other_user):
    client = client_for(owner)
    assert client.post("/accounts/nickname/", {"nickname": "刚毅的皮带"}).status_code == 302
    assert Profile.objects.get(user=owner).nickname == "刚毅的皮带"
    taken = client_for(other_user).post("/accounts/nickname/", {"nickname": "刚毅的皮带"})
    assert "is taken" in taken.content.decode()


def test_account_pages_need_a_signed_in_person():
    assert Client().get("/accounts/nickname/").status_code == 302
    assert Client().get("/accounts/password/").status_code == 302


def test_the_password_can_be_changed(owner):
    client = client_for(owner)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "owner-password",
            "new_password1": "another-pass-phrase-7",
            "new_password2": "another-pass-phrase-7",
        },
    )
    assert response.status_code == 302
    signed = Client().post(
        "/accounts/login/", {"username": "owner", "password": "another-pass-phrase-7"}
    )
    assert signed.status_code == 302


def test_duplicate_usernames_are_refused_on_sign_up():
    create_user("taken", "pw-long-enough-1")
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "taken",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert (
        response.status_code == 200
        and get_user_model().objects.filter(username="taken").count() == 1
    )
