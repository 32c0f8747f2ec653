"""The third outside fact check (issue 26), in the launch article. Each passage is replaced only where it still holds
the text this project shipped, so an editor's later wording survives; each correction gets its own "What changed" row;
new references are added once; the reverse restores the shipped text. Historical models only; the articles app
renders the HTML after `migrate`. The review fields are left alone (a content change is flagged for the reviewer
elsewhere).

- Kidney stones: the claim that small trials found moderate supplements do not make stones return could not be found
  in the source it cited (IOM 2011). The main evidence is the Women's Health Initiative trial (Jackson et al., N Engl
  J Med 2006;354(7):669-683, doi:10.1056/NEJMoa055218, PMID 16481635): 36,282 postmenopausal women, 1,000 mg calcium
  with 400 IU vitamin D3 a day or placebo for about 7 years; kidney stones rose with the supplement (hazard ratio 1.17).
  The US adult upper limit rests on it (IOM 2011).
- Breastfeeding: "calcium needs do not rise" holds for the US (IOM 2011) and EFSA (2015), not the UK, whose reference
  nutrient intake rises by 550 mg a day while breastfeeding (COMA 1991): said per authority, takeaway included.
- Cheddar: hard cheeses as a group averaged about 282 mcg of vitamin K per 100 g (Fu et al. 2017), but cheddar on its
  own about 28 mcg (the same laboratory), so about 12 mcg per 1.5 oz; NIH ODS lists 4 mcg counting MK-4 only; European
  cheeses 0.3 to about 80 mcg per 100 g (Vermeer et al. 2018). Chicken thigh: the Danish figure is all vitamin K.
- The JAMA Internal Medicine 2018 "notice" could not be confirmed as an item apart from the review authors' own letter
  (Torgerson 2018): the letter is cited, the notice removed.
- Citations added where a claim had none: coeliac disease and inflammatory bowel disease limiting absorption and
  vitamin K needing fat (NIH ODS vitamin K fact sheet), calcium forms and food (NIH ODS calcium fact sheet), warfarin
  and steady vitamin K (NIH ODS vitamin K), exercise and vitamin D (NHS, osteoporosis prevention; protein is dropped,
  as that page does not support it).
- The 180 mcg MK-7 amount: one trial, funded by a maker, with the article's own evidence level for K2 and bone.
- References: Heaney's "Calcium supplements: practical considerations" is Osteoporos Int 1991;1(2):65-71; the 2019
  review's adjustment was deposited in the University of Surrey's open research repository (Guildford, UK).
"""

import datetime

from django.db import migrations

SLUG = "calcium-and-vitamin-k2-bone-health-combination"
TODAY = "2026-12-05"

PASSAGES = [
    (
        "The limit rests on the risk of kidney stones, and going over it usually means supplements rather than "
        "food.[^iom-2011]",
        "The limit rests on the risk of kidney stones: in the Women's Health Initiative trial, women given calcium "
        "with vitamin D had more stones than those given a placebo,[^jackson-2006] and going over the limit usually "
        "means supplements rather than food.[^iom-2011]",
    ),
    (
        "The 180 mcg of MK-7 you may see advised is simply the dose from the Dutch trials, not official "
        "advice.[^knapen-2013]",
        "The 180 mcg of MK-7 you may see advised is simply the dose given in one Dutch trial, which an MK-7 maker "
        "funded.[^knapen-2013][^knapen-2015] It is not official advice, and trials of K2 for bone show only small or "
        "uncertain effects.[^mott-2019]",
    ),
    (
        "In 2018 the journal, renamed *JAMA Internal Medicine*, published a notice cautioning readers about the "
        "review's conclusions because it included trials whose reliability had since been "
        "questioned,[^jama-notice-2018] alongside a letter from the review's own authors saying the "
        "same.[^torgerson-2018]",
        "In 2018 the review's own authors wrote to the journal, by then renamed *JAMA Internal Medicine*, to warn "
        "readers that it included trials whose reliability had since been questioned.[^torgerson-2018]",
    ),
    (
        "A US study of dairy foods measured about 280 mcg of vitamin K per 100 g in hard cheeses such as cheddar, "
        "roughly 120 mcg in a 1.5-ounce serving, with soft and blue cheeses higher still and processed cheese far "
        "lower.[^fu-2017]",
        "A US study of dairy foods found that hard cheeses as a group averaged about 280 mcg of vitamin K per 100 g, "
        "with soft and blue cheeses higher still and processed cheese far lower.[^fu-2017] Cheddar measured on its "
        "own held far less: about 28 mcg per 100 g, roughly 12 mcg in a 1.5-ounce serving,[^fu-2017] and the NIH "
        "lists about 4 mcg for that serving, counting MK-4 alone.[^ods-vitamin-k] Across European cheeses, "
        "measured amounts ran from 0.3 to about 80 mcg per 100 g.[^vermeer-2018]",
    ),
    (
        "about 45 mcg per 3 ounces of thigh with skin in Danish tests,[^jensen-2025]",
        "about 45 mcg of vitamin K, K1 included, per 3 ounces of thigh with skin in Danish tests,[^jensen-2025]",
    ),
    (
        "- Vitamin K dissolves in fat, so take it with a meal containing some fat. Calcium absorption does not depend "
        "on fat.\n- If you take warfarin, keep your vitamin K intake steady from day to day.",
        "- Vitamin K dissolves in fat, so take it with a meal containing some fat.[^ods-vitamin-k] Calcium needs no "
        "fat: carbonate needs the stomach acid a meal brings, and citrate can be taken with or without "
        "food.[^ods-calcium]\n- If you take warfarin, keep your vitamin K intake steady from day to "
        "day.[^ods-vitamin-k]",
    ),
    (
        "- **Kidney stones.** Small trials suggest moderate calcium supplements may not make stones more likely to "
        "return, especially when taken with food.[^iom-2011] Do not cut calcium-rich foods without advice.",
        "- **Kidney stones.** Calcium supplements can add to the risk. In the Women's Health Initiative trial, "
        "36,282 women past the menopause took 1,000 mg of calcium with 400 IU of vitamin D a day, or a placebo, for "
        "about seven years, and more kidney stones formed in the supplement group.[^jackson-2006] That result is the "
        "main evidence behind the adult upper limit.[^iom-2011] If you have had stones, ask your doctor before "
        "taking supplements, and do not cut calcium-rich foods without advice.",
    ),
    (
        "Calcium needs do not rise in pregnancy or while breastfeeding. They stay at 1,000 mg a day for women aged "
        "19 to 50 and 1,300 mg for those 18 and under, with the same upper limits.[^iom-2011]",
        "In the US tables, calcium needs do not rise in pregnancy or while breastfeeding: they stay at 1,000 mg a "
        "day for women aged 19 to 50 and 1,300 mg for those 18 and under, with the same upper limits.[^iom-2011] "
        "EFSA's figure does not rise either.[^efsa-calcium-2015] The UK's does while breastfeeding: its reference "
        "intake goes up by 550 mg a day, to 1,250 mg from age 19 and 1,350 mg for younger mothers, though not in "
        "pregnancy.[^coma-1991]",
    ),
    (
        "- **People with celiac or Crohn's disease,** which can limit absorption.",
        "- **People with coeliac disease or inflammatory bowel disease,** which can keep the gut from absorbing "
        "vitamin K and other nutrients properly.[^ods-vitamin-k]",
    ),
    (
        "Weight-bearing exercise, vitamin D and protein matter too.",
        "Weight-bearing and muscle-strengthening exercise and enough vitamin D matter too.[^nhs-osteoporosis]",
    ),
]

TAKEAWAY = (
    "Calcium needs do not rise in pregnancy or while breastfeeding.",
    "In the US and EU tables calcium needs do not rise in pregnancy or breastfeeding; the UK adds 550 mg a day "
    "while breastfeeding.",
)

NEW_REFERENCES = [
    {
        "key": "jackson-2006",
        "authors": "Jackson RD, LaCroix AZ, Gass M, et al., for the Women's Health Initiative Investigators",
        "title": "Calcium plus vitamin D supplementation and the risk of fractures",
        "journal": "N Engl J Med 2006;354(7):669-683",
        "year": 2006,
        "doi": "10.1056/NEJMoa055218",
        "pmid": "16481635",
        "note": (
            "36,282 postmenopausal women, 1,000 mg calcium with 400 IU vitamin D3 a day or placebo for about 7 years: "
            "no clear fall in hip fractures, and more kidney stones (hazard ratio 1.17)."
        ),
    },
    {
        "key": "efsa-calcium-2015",
        "authors": "EFSA Panel on Dietetic Products, Nutrition and Allergies",
        "title": "Scientific opinion on dietary reference values for calcium",
        "journal": "EFSA Journal 2015;13(5):4101",
        "year": 2015,
        "doi": "10.2903/j.efsa.2015.4101",
        "note": "EU population reference intakes; the figure for women applies unchanged in pregnancy and lactation.",
    },
    {
        "key": "coma-1991",
        "authors": "Department of Health, Committee on Medical Aspects of Food Policy",
        "title": "Dietary reference values for food energy and nutrients for the United Kingdom (Report on Health and "
        "Social Subjects 41)",
        "journal": "HMSO, London; the UK values for breastfeeding are tabulated in Adv Nutr 2018;9(Suppl 1):295S-312S, "
        "Table 3",
        "year": 1991,
        "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC6008957/table/tbl3",
        "note": "UK reference nutrient intakes: calcium 700 mg for adults, plus 550 mg a day while breastfeeding, no "
        "increment in pregnancy.",
    },
    {
        "key": "nhs-osteoporosis",
        "authors": "NHS",
        "title": "Osteoporosis: prevention",
        "journal": "nhs.uk",
        "url": "https://www.nhs.uk/conditions/osteoporosis/prevention/",
        "note": "Weight-bearing and resistance exercise, calcium and vitamin D for keeping bones strong.",
    },
]

JAMA_NOTICE = {
    "key": "jama-notice-2018",
    "authors": "JAMA Internal Medicine",
    "title": "Caution of conclusions of a meta-analysis including problematic trials",
    "journal": "JAMA Intern Med 2018;178(6):875-876",
    "year": 2018,
    "url": "https://jamanetwork.com/journals/jamainternalmedicine/issue/178/6",
    "note": "The journal's own notice about the 2006 vitamin K fracture meta-analysis (Cockayne et al.).",
}

JAMA_NOTICE_ORDER = 22  # its place in the shipped list (0004), restored by the reverse

REFERENCE_FIXES = [
    # (key, field, shipped value, corrected value)
    ("heaney-supplements", "year", None, 1991),
    ("heaney-supplements", "journal", "Osteoporos Int 1(2):65-71", "Osteoporos Int 1991;1(2):65-71"),
    (
        "mott-2019-adjustment",
        "journal",
        "University of Surrey Open Research",
        "Deposited in the University of Surrey's open research repository (Guildford, UK)",
    ),
]

# (the passages a change is about, by index in PASSAGES; None for data and reference changes), kind, note. A row is
# added only where at least one of its passages was corrected here, so an editor's own rewrite gets no false note.
CHANGES = [
    (
        (0, 6),
        "correction",
        "Kidney stones: replaced a claim we could not find in its source with the Women's Health Initiative trial, "
        "in which calcium with vitamin D raised kidney stones, the result the adult upper limit for calcium rests on.",
    ),
    (
        (7,),
        "correction",
        "Breastfeeding: the statement that calcium needs do not rise now says whose tables it holds for (US and EU); "
        "the UK adds 550 mg a day while breastfeeding.",
    ),
    (
        (3, 4),
        "correction",
        "Cheddar: gave the vitamin K2 amount measured on cheddar itself (about 12 mcg per 1.5 oz) instead of the "
        "average for all hard cheeses, about ten times higher; said the chicken thigh figure counts all vitamin K.",
    ),
    (
        (2,),
        "correction",
        "Cited the 2018 letter from the vitamin K review's own authors instead of a separate journal notice we could "
        "not confirm.",
    ),
    (
        (1,),
        "correction",
        "Said that the 180 mcg of MK-7 comes from one trial, funded by a maker, and that K2 trials for bone show only "
        "small or uncertain effects.",
    ),
    (
        (5, 8, 9),
        "update",
        "Added sources to statements that had none (coeliac and inflammatory bowel disease, vitamin K and fat, "
        "warfarin and steady vitamin K, exercise and vitamin D) and dropped protein from the last, which its source "
        "does not mention.",
    ),
    (
        None,
        "correction",
        "The table of medicines to keep apart from calcium now keeps at least 4 hours either side of tetracycline "
        "antibiotics, the longest gap the references give, and adds HIV integrase inhibitors.",
    ),
    (
        None,
        "update",
        "References: added the year of Heaney's review of calcium supplements and where the 2019 review's "
        "adjustment was published.",
    ),
]


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    KeyTakeaway = apps.get_model("articles", "KeyTakeaway")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    body, corrected = article.body, set()
    for index, (old, new) in enumerate(PASSAGES):
        if body.count(old) == 1:
            body = body.replace(old, new)
            corrected.add(index)
    if body != article.body:
        Article.objects.filter(pk=article.pk).update(body=body)
    if "[^jama-notice-2018]" not in body:
        Reference.objects.filter(article=article, key=JAMA_NOTICE["key"], title=JAMA_NOTICE["title"]).delete()
    last = Reference.objects.filter(article=article).order_by("-order").values_list("order", flat=True).first() or 0
    for offset, fields in enumerate(NEW_REFERENCES, start=1):
        if not Reference.objects.filter(article=article, key=fields["key"]).exists():
            Reference.objects.create(article=article, order=last + offset, **fields)
    for key, field, old, new in REFERENCE_FIXES:
        Reference.objects.filter(article=article, key=key, **{field: old}).update(**{field: new})
    KeyTakeaway.objects.filter(article=article, text=TAKEAWAY[0]).update(text=TAKEAWAY[1])
    for passages, kind, note in CHANGES:
        if passages is not None and not corrected.intersection(passages):
            continue
        ArticleChange.objects.get_or_create(
            article=article, date=datetime.date.fromisoformat(TODAY), note=note, defaults={"kind": kind}
        )


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    KeyTakeaway = apps.get_model("articles", "KeyTakeaway")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    ArticleChange.objects.filter(article=article, note__in=[note for _, _, note in CHANGES]).delete()
    KeyTakeaway.objects.filter(article=article, text=TAKEAWAY[1]).update(text=TAKEAWAY[0])
    for key, field, old, new in REFERENCE_FIXES:
        Reference.objects.filter(article=article, key=key, **{field: new}).update(**{field: old})
    body = article.body
    for old, new in PASSAGES:
        if body.count(new) == 1:
            body = body.replace(new, old)
    for fields in NEW_REFERENCES:
        if f"[^{fields['key']}]" not in body:
            Reference.objects.filter(article=article, key=fields["key"], title=fields["title"]).delete()
    if "[^jama-notice-2018]" in body and not Reference.objects.filter(article=article, key="jama-notice-2018"):
        Reference.objects.create(article=article, order=JAMA_NOTICE_ORDER, **JAMA_NOTICE)
    if body != article.body:
        Article.objects.filter(pk=article.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_review_covers_content"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
