from catalog.uscc import make_code
from tests.conftest import PASSWORD, csrf_from


def register_form(client, **over):
    token = csrf_from(client.get("/register").get_data(as_text=True))
    data = {
        "kind": "provider",
        "organisation_name": "洛阳云智科技有限公司",
        "uscc": make_code(42),
        "contact_person": "李经理",
        "phone": "0379-65000000",
        "email": "li@yunzhi.cn",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "csrf_token": token,
        **over,
    }
    return client.post("/register", data=data)


def test_a_provider_registers_lands_in_its_console_and_sees_it_is_pending(client):
    response = register_form(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/provider/")
    page = client.get("/provider/").get_data(as_text=True)
    assert "洛阳云智科技有限公司" in page and "正在审核中" in page


def test_registration_errors_appear_next_to_the_fields_and_nothing_is_created(client):
    response = register_form(
        client, uscc="91350100M000100Y44", confirm="different-password", email="not-an-email"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "统一社会信用代码无效" in page and "两次输入的密码不一致" in page
    assert page.count("invalid-feedback") >= 3
    assert register_form(client).status_code == 302  # the same data, corrected, still registers


def test_a_form_without_a_valid_csrf_token_is_refused(client):
    for token in (None, "forged"):
        data = {"email": "x@example.cn", "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        response = client.post("/login", data=data)
        assert response.status_code == 400
        assert "表单已过期" in response.get_data(as_text=True)


def test_login_and_logout_and_a_replayed_cookie_is_refused(client, auth, make):
    user = make.user("enterprise")
    assert auth.login(user.email).status_code == 302
    assert client.get("/workspace/").status_code == 200
    stolen = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    assert client.get("/workspace/").status_code == 302  # signed out
    client.set_cookie("session", stolen)
    response = client.get("/workspace/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_password_says_so_without_revealing_which_part_was_wrong(client, auth, make):
    user = make.user("enterprise")
    response = auth.login(user.email, "wrong-password-here")
    assert response.status_code == 401
    assert "邮箱或密码不正确" in response.get_data(as_text=True)
    assert auth.login("nobody@example.cn", "wrong-password-here").status_code == 401


def test_the_eleventh_failed_login_is_refused_even_with_the_right_password(client, auth, make):
    user = make.user("enterprise")
    for _ in range(10):
        assert auth.login(user.email, "wrong-password-here").status_code == 401
    assert auth.login(user.email).status_code == 429


def test_login_follows_only_local_next_links(client, auth, make):
    user = make.user("enterprise")
    token = auth.token()
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"].endswith("/workspace/")


def test_changing_the_password_ends_other_sessions(app, client, auth, make):
    user = make.user("enterprise")
    other = app.test_client()
    auth.login(user.email)
    from tests.conftest import Auth

    Auth(other).login(user.email)
    assert other.get("/workspace/").status_code == 200
    response = auth.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "another-long-pass", "confirm": "another-long-pass"},
        form_page="/account/password",
    )
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200  # this session renewed
    assert other.get("/workspace/").status_code == 302  # the other one ended
