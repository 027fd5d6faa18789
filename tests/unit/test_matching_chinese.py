"""Chinese findings read the way a consultant reads them: what is already in place, what is put off to later, what
a tick on the form does against the text, and words that sit inside other words. Every sentence here is invented for
the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.taxonomy import load_taxonomy
from matching.interchange import listing_from_row, read_jsonl
from matching.lexicon import WordFinder
from matching.matcher import Matcher
from matching.types import Need, Profile

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def dev_matcher() -> Matcher:
    groups = {code: term.group or "" for code, term in load_taxonomy().scenarios.items()}
    listings = [listing_from_row(row) for row in read_jsonl(DATA / "catalog.jsonl")]
    return Matcher.build(listings, scenario_groups=groups)


def needs_of(matcher: Matcher, text: str, ticked: tuple[str, ...] = ()) -> dict[str, Need]:
    return {
        need.scenario: need for need in matcher.read_needs(Profile(needs_text=text, target_scenarios=ticked))
    }


@pytest.mark.parametrize(
    ("findings", "in_place"),
    [
        ("账务系统前年换成新版，大家用得很顺。原料库数量跟台账对不齐，领用也没人登记。", "erp_finance"),
        ("财务核算基本满足要求，这次诊断不涉及。原料库数量跟台账对不齐，领用也没人登记。", "erp_finance"),
        ("建模和出图的软件已配齐，工具不缺。新机型样机两次过热，想在出样前先做热仿真。", "rd_design"),
        (
            "生产执行系统今年上线，派工报工运行顺畅。外壳表面的划痕和麻点靠人工拿灯照着看，夜班漏检不少。",
            "mes",
        ),
    ],
)
def test_a_system_said_to_be_in_place_is_never_recommended(dev_matcher, findings, in_place):
    profile = Profile(needs_text=findings)

    assert in_place in dev_matcher.reading(profile).solved
    assert all(match.scenario != in_place for match in dev_matcher.rank(profile))


def test_an_old_machine_is_not_a_system_in_place(dev_matcher):
    findings = "前台那台用了九年的旧电脑兼做服务器，账套和进销存都在里面，从没做过备份。老板打算把这些软件放到云上，业务员在外也能查。"

    needs = needs_of(dev_matcher, findings)

    assert "cloud_migration" in needs
    assert "cloud_migration" not in dev_matcher.reading(Profile(needs_text=findings)).solved


def test_a_later_remark_opening_a_sentence_defers_what_it_introduces(dev_matcher):
    findings = "四名销售各记各的客户，报价单格式五花八门，人员一换客户就流失。等明年预算允许，想加一个销售趋势分析看板。"

    needs = needs_of(dev_matcher, findings)

    assert next(iter(needs)) == "sales_crm" and not needs["sales_crm"].later
    assert needs["bi_dashboard"].later


def test_a_plain_statement_about_a_deferred_wish_is_deferred_with_it(dev_matcher):
    findings = "烧结炉和空压机共用一块总表，每月电费六十多万，哪台设备耗电多没人说得清。办公室那台服务器也快十年了，放到明年考虑上云。"

    needs = needs_of(dev_matcher, findings)

    assert next(iter(needs)) == "energy_management"
    assert needs["cloud_migration"].later and needs["cloud_migration"].weight <= 0.5


def test_a_ticked_scenario_the_text_puts_off_does_not_lead(dev_matcher):
    findings = "烧结炉和空压机共用一块总表，每月电费六十多万，哪台设备耗电多没人说得清。办公室那台服务器也快十年了，放到明年考虑上云。"
    profile = Profile(needs_text=findings, target_scenarios=("cloud_migration",))

    cloud = needs_of(dev_matcher, findings, ticked=("cloud_migration",))["cloud_migration"]

    assert dev_matcher.rank(profile)[0].scenario == "energy_management"
    assert cloud.ticked and cloud.later


def test_a_ticked_wish_only_a_later_remark_asks_for_does_not_lead_a_report_of_figures(dev_matcher):
    # The report names power use as a figure; only the closing remark wishes for it, next year.
    findings = (
        "本月生产报表：磨床OEE 57%，非计划停机71小时，主要是主轴和液压故障；全厂用电52万kWh。"
        "停机原因靠手写交接本，事后才知道。老板说明年看看电费能不能也管起来。"
    )

    needs = needs_of(dev_matcher, findings, ticked=("energy_management",))

    assert next(iter(needs)) == "equipment_monitoring"
    assert needs["energy_management"].ticked


def test_a_list_that_ends_all_there_is_in_place_but_all_kinds_of_problems_is_a_pain(dev_matcher):
    from matching.clauses import clause_roles, scan_clauses

    def roles(text: str) -> list[str]:
        clauses = scan_clauses(text, lexicon=dev_matcher.lexicon, classifier=dev_matcher.classifier)
        return clause_roles(clauses)

    assert roles("公司做轴承套圈，员工两百人。车间里DCS、SIS、人员定位都有。办公审批都在上面") == [
        "background",
        "background",
        "solved",
        "solved",
    ]
    assert roles("公司做轴承套圈，员工两百人。仓库各种问题都有。每天都有发错货的") == [
        "background",
        "background",
        "need",
        "need",
    ]


def test_a_clause_does_not_break_inside_kan_bu_guo_lai():
    from matching.clauses import split_clauses

    assert [clause for _, clause in split_clauses("人工目视抽检，根本看不过来，不过速度还行")] == [
        "人工目视抽检",
        "根本看不过来",
        "速度还行",
    ]


def test_a_later_wish_in_clear_words_stays_a_need_beside_a_ticked_main_need(dev_matcher):
    findings = "备件库的账和实物对不上，领用全凭一张纸条，季度盘点差了一成。经营看板和大屏往后排。"

    needs = needs_of(dev_matcher, findings, ticked=("warehouse",))

    assert next(iter(needs)) == "warehouse"
    assert needs["bi_dashboard"].later


@pytest.mark.parametrize(
    ("findings", "leads", "misread"),
    [
        ("滚子按直径分组，工人凭经验挑拣，相邻组别时常混料。", "smart_sorting", "process_optimization"),
        ("给汽车厂做配件，车床工段的排产总被急单插队，订单进度只能打电话问。", "mes", "logistics"),
        ("设备已经用了十几年，运行时老是异响，上个月主轴卡死停了一周。", "equipment_monitoring", "logistics"),
        (
            "轴颈尺寸靠千分表一个个量，量完按大小分档，两个人一个班都分不完。",
            "smart_sorting",
            "energy_management",
        ),
    ],
)
def test_words_inside_other_words_or_said_of_every_job_point_nowhere(dev_matcher, findings, leads, misread):
    needs = needs_of(dev_matcher, findings)

    assert next(iter(needs)) == leads
    assert misread not in needs


def test_a_pain_after_in_place_framing_stays_a_pain(dev_matcher):
    needs = needs_of(dev_matcher, "用了十几年，隔几天就出一次故障，停机了只能等厂家派人来修。")

    assert next(iter(needs)) == "equipment_monitoring"


def test_the_longest_gap_word_wins_where_two_overlap():
    finder = WordFinder({"用了*年": [("solved", 1.0)], "用了*年的": [("background", 1.0)]})

    assert [(hit.word, hit.targets[0][0]) for hit in finder.find("一台用了八年的电脑")] == [
        ("用了八年的", "background")
    ]


def test_the_customers_own_checks_are_not_a_wish_for_inspection(dev_matcher):
    findings = (
        "出厂前按阻值把电阻分成四档装箱，工人凭读数放进不同料框，混档的货常被客户抽检发现，还被要求全检一遍。"
    )

    needs = needs_of(dev_matcher, findings)

    assert next(iter(needs)) == "smart_sorting"
    assert "visual_inspection" not in needs


@pytest.mark.parametrize(
    ("findings", "leads"),
    [
        ("测完耐压后靠人把不合格品挑出来，合格的再按规格分箱，隔三差五就装错箱。", "smart_sorting"),
        ("灌装后贴标经常贴歪，也有歪盖漏盖的，全靠线尾一个人盯着。", "visual_inspection"),
        ("老板想随时知道每单是赚还是亏，现在财务月底才能算出来，心里没数。", "bi_dashboard"),
    ],
)
def test_everyday_words_of_sorting_packing_checks_and_figures_name_their_scenario(
    dev_matcher, findings, leads
):
    assert next(iter(needs_of(dev_matcher, findings))) == leads


def test_a_wish_is_not_put_off_by_a_later_remark_in_the_next_sentence(dev_matcher):
    needs = dev_matcher.read_needs(
        Profile(needs_text="车间人手不够，希望给冲床装上故障预警；其余的以后再说。")
    )

    assert needs[0].scenario == "equipment_monitoring"
    assert not needs[0].later
