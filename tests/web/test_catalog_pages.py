def test_anyone_can_filter_the_catalogue_and_open_a_product(client, make):
    provider = make.organisation("provider", name="洛阳视觉科技")
    wanted = make.product(
        provider, name="轴承外观视觉检测", scenarios=["visual_inspection"], industries=["bearings"]
    )
    make.product(provider, name="能耗管理平台", scenarios=["energy_management"])
    page = client.get("/products?scenario=visual_inspection&industry=bearings").get_data(as_text=True)
    assert "轴承外观视觉检测" in page and "能耗管理平台" not in page and "共 1 个产品" in page
    product_page = client.get(f"/products/{wanted.id}").get_data(as_text=True)
    assert (
        "轴承外观视觉检测" in product_page
        and "洛阳视觉科技" in product_page
        and "轴承及通用零部件" in product_page
    )


def test_an_empty_result_offers_a_way_back(client):
    page = client.get("/products?scenario=visual_inspection").get_data(as_text=True)
    assert "没有符合条件的产品" in page and "清除筛选" in page


def test_bad_filter_values_get_a_message_and_a_4xx(client, make):
    make.product()
    response = client.get("/products?price_max=abc&scenario=nonsense&page=-3")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不是有效的选择" in page and "不是有效的小数" in page


def test_unknown_products_and_providers_are_404(client, make):
    pending = make.organisation("provider", state="pending")
    assert client.get("/products/999999").status_code == 404
    assert client.get(f"/providers/{pending.id}").status_code == 404
    assert client.get("/products/abc").status_code == 404


def test_pagination_links_keep_the_filters(client, make):
    provider = make.organisation("provider")
    for n in range(30):
        make.product(provider, name=f"视觉 {n}")
    page = client.get("/products?scenario=visual_inspection&per_page=12").get_data(as_text=True)
    assert "第 1 / 3 页" in page
    assert "scenario=visual_inspection" in page.split("下一页")[0].rsplit("href=", 1)[1]


def test_english_is_one_click_away(client, auth, make):
    make.product(scenarios=["warehouse"])
    assert "产品目录" in client.get("/products").get_data(as_text=True)
    response = auth.post("/lang", {"lang": "en", "next": "/products"})
    assert response.headers["Location"].endswith("/products")
    page = client.get("/products").get_data(as_text=True)
    assert "Catalogue" in page and "Warehouse management (WMS)" in page


def test_assets_are_served_by_the_app(client):
    page = client.get("/").get_data(as_text=True)
    assert "cdn" not in page.lower()
    with client.get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200 and response.mimetype == "text/css"


def test_the_api_lists_published_products_in_the_interchange_format(client, make):
    product = make.product(name="WMS 仓储管理", scenarios=["warehouse"])
    make.product(name="draft", state="draft")
    body = client.get("/api/v1/products?scenario=warehouse").get_json()
    assert body["total"] == 1 and body["items"][0]["id"] == product.external_id
    assert client.get(f"/api/v1/products/{product.external_id}").get_json()["name"] == "WMS 仓储管理"
    missing = client.get("/api/v1/products/nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/products?scenario=bogus").status_code == 400
