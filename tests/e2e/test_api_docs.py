"""/api/v1/docs renders under the Content-Security-Policy: Swagger UI comes from this site
(swagger-ui-dist under /static/vendor/), starts from a static script, and the browser reports no
console error (a CSP violation is one)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_show_the_operations_with_no_console_error(live_server, page, loaded_plan, tmp_path):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    policy = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"]
    page.wait_for_selector(".opblock", timeout=15000)

    assert page.locator(".info .title").inner_text().startswith("设备更新行动平台 API")
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/indicators" in summaries and "/api/v1/projects" in summaries
    assert page.locator(".opblock-tag", has_text="指标监测").count() == 1
    page.screenshot(path=str(tmp_path / "api-docs.png"), full_page=True)
    assert errors == []
    assert all(url.startswith(live_server.url) for url in requests), "every asset from this site"
