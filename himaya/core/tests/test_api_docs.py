import pytest


@pytest.mark.django_db
def test_api_docs_use_packaged_assets_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
