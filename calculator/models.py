"""The shared models layer: nutrients, intake guidelines, foods, medications, conditions and their cautions, products.

The calculator, the recommendation panel and the articles all read these rows; editors change them in the admin.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]

# Product rules, applied alike by the admin's forms, the spreadsheet import and full_clean(). Each has a code of its
# own: a form puts its own message on an error whose code it knows ("invalid" would read "Enter a valid URL.").

# What a reader's browser opens: http or https only (a URLField alone also accepts ftp and ftps).
WEB_ADDRESS = URLValidator(
    schemes=["http", "https"],
    message="Enter the full address of the page, starting with https://.",
    code="web_address",
)
# Three letters in either case: Product.clean() saves them in capitals ("usd" becomes "USD").
CURRENCY_CODE = RegexValidator(
    r"\A[A-Za-z]{3}\Z", message="Use the three-letter currency code, such as USD, EUR or GBP.", code="currency"
)
# A nutrient the product does not contain has no row, rather than a row with 0 (one decimal place: 0.1 is the least).
AMOUNT_IN_A_SERVING = MinValueValidator(
    Decimal("0.1"),
    message="Enter the amount in one serving, more than 0; leave the nutrient out if the product has none.",
)


class Nutrient(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=10, help_text="Unit of every amount of this nutrient: mg, mcg or IU.")
    optional_in_plan = models.BooleanField(
        default=False,
        help_text="The evidence for a supplement of it is limited: the plan and the timetable offer it as optional.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    ANY = "any", "Any"
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class LifeStage(models.TextChoices):
    NONE = "none", "None"
    PREGNANT = "pregnant", "Pregnant"
    LACTATING = "lactating", "Lactating"


class Authority(models.TextChoices):
    """Whose intake tables a guideline row comes from. The US tables are the default and the floor of safety: an
    answer never uses an upper limit looser than the US one."""

    US = "us", "US National Academies"
    EU = "eu", "European Food Safety Authority (EFSA)"
    UK = "uk", "UK Department of Health / SACN"


class IntakeGuideline(models.Model):
    """One life-stage band of an official intake table (e.g. calcium, women 51-70: RDA 1,200 mg, UL 2,000 mg).

    Each row belongs to one authority (US, EU or UK). Where an authority sets no figure (the UK sets no calcium upper
    limit and no fixed vitamin K amount) the amount is empty and `note` says so: no number is borrowed."""

    class Kind(models.TextChoices):
        RDA = "RDA", "Recommended Dietary Allowance"
        AI = "AI", "Adequate Intake"
        PRI = "PRI", "Population Reference Intake"
        RNI = "RNI", "Reference Nutrient Intake"
        SI = "SI", "Safe Intake"

    class LimitScope(models.TextChoices):
        ALL = "all", "All sources (food and supplements)"
        SUPPLEMENTS = "supplements", "Supplements and medicines only"

    class LimitKind(models.TextChoices):
        """What kind of figure the upper limit is: readers are told, since a guidance level for supplements is not an
        upper limit for all intake."""

        UL = "UL", "Tolerable upper intake level"
        GUIDANCE = "GL", "Guidance level for supplements (unlikely to cause harm)"
        ADVICE = "advice", "Official advice: no more than this a day"

    authority = models.CharField(
        max_length=2,
        choices=Authority.choices,
        default=Authority.US,
        help_text="Whose tables this row comes from. The calculator never uses an upper limit looser than the US one.",
    )
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="guidelines")
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.ANY)
    age_min = models.PositiveSmallIntegerField(help_text="First year of age in the band (inclusive).")
    age_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Last year of age in the band (inclusive); empty for no upper age."
    )
    life_stage = models.CharField(max_length=9, choices=LifeStage.choices, default=LifeStage.NONE)
    target = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Empty only where this authority sets no fixed amount (say so in the note).",
    )
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.RDA)
    upper_limit = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Tolerable Upper Intake Level; empty where none has been set.",
    )
    upper_limit_scope = models.CharField(max_length=11, choices=LimitScope.choices, default=LimitScope.ALL)
    upper_limit_kind = models.CharField(
        max_length=6,
        choices=LimitKind.choices,
        default=LimitKind.UL,
        help_text="What kind of figure the upper limit is (shown with it).",
    )
    target_per_kg = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Where the authority sets its figure per kg of body weight (the UK's vitamin K: 1 mcg per kg): "
        "the amount per kg, with the daily amount left empty. The calculator uses it when the person gives a weight.",
    )
    phylloquinone_only = models.BooleanField(
        "counts vitamin K1 only",
        default=False,
        help_text="The figure covers vitamin K1 (phylloquinone) only, as EFSA's does: the calculator compares K1 "
        "intake with it, not K1 and K2 together.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown beside the row, e.g. why an amount or the upper limit is empty for this authority.",
    )
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["authority", "nutrient__name", "life_stage", "sex", "age_min"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_max__gte=models.F("age_min")),
                name="guideline_age_range_ordered",
            ),
            # A supplements-only limit (magnesium) is not comparable with the total-intake target: for ages 1-8 the
            # magnesium UL (65, 110 mg from supplements) is below the RDA (80, 130 mg from everything).
            models.CheckConstraint(
                condition=Q(upper_limit__isnull=True)
                | Q(upper_limit_scope="supplements")
                | Q(upper_limit__gte=models.F("target")),
                name="guideline_limit_not_below_target",
            ),
        ]

    def __str__(self):
        ages = f"{self.age_min}+" if self.age_max is None else f"{self.age_min}-{self.age_max}"
        stage = "" if self.life_stage == LifeStage.NONE else f", {self.get_life_stage_display().lower()}"
        who = "" if self.authority == Authority.US else f" ({self.authority.upper()})"
        return f"{self.nutrient}{who}: {self.get_sex_display().lower()}, {ages} y{stage}"

    def clean(self):
        errors = {}
        if self.age_max is not None and self.age_min is not None and self.age_max < self.age_min:
            errors["age_max"] = "The last age of the band cannot be below its first age."
        if (
            self.upper_limit is not None
            and self.target is not None
            and self.upper_limit_scope == self.LimitScope.ALL
            and self.upper_limit < self.target
        ):
            errors["upper_limit"] = (
                "The upper limit cannot be below the target when it covers all sources. "
                "(Only a supplements-only limit, such as magnesium's, may be lower than the target.)"
            )
        if self.target is None and not self.note.strip():
            errors["note"] = "Say why there is no amount (for example: this authority sets no fixed amount)."
        if errors:
            raise ValidationError(errors)
        if self.nutrient_id and self.age_min is not None:
            self._check_no_overlap()
            self._check_target_within_us_limit()

    def _same_people(self, queryset):
        """Rows of `queryset` for at least one of the same people (sex and ages overlap)."""
        if self.sex != Sex.ANY:
            queryset = queryset.filter(sex__in=[self.sex, Sex.ANY])
        overlaps = queryset.filter(Q(age_max__isnull=True) | Q(age_max__gte=self.age_min))
        if self.age_max is not None:
            overlaps = overlaps.filter(age_min__lte=self.age_max)
        return overlaps

    def _check_no_overlap(self):
        same_group = IntakeGuideline.objects.filter(
            authority=self.authority, nutrient_id=self.nutrient_id, life_stage=self.life_stage
        ).exclude(pk=self.pk)
        clash = self._same_people(same_group).first()
        if clash:
            raise ValidationError(f"These ages overlap an existing band for the same person: {clash}.")

    def _check_target_within_us_limit(self):
        """The calculator applies the stricter of this row's and the US upper limit: a target above the US limit
        (all sources) for the same people could never be planned."""
        if self.authority == Authority.US or self.target is None:
            return
        us_rows = IntakeGuideline.objects.filter(
            authority=Authority.US,
            nutrient_id=self.nutrient_id,
            life_stage__in={self.life_stage, LifeStage.NONE},
            upper_limit_scope=self.LimitScope.ALL,
            upper_limit__lt=self.target,
        )
        clash = self._same_people(us_rows).first()
        if clash:
            raise ValidationError(
                {"target": f"The target is above the US upper limit for the same people ({clash}), which applies."}
            )


class Food(models.Model):
    class Category(models.TextChoices):
        DAIRY = "dairy", "Dairy"
        GREENS = "greens", "Leafy greens and vegetables"
        FISH = "fish", "Fish"
        FORTIFIED = "fortified", "Fortified foods and soy"
        NUTS_SEEDS = "nuts-seeds", "Nuts and seeds"
        MEAT_EGGS = "meat-eggs", "Meat and eggs"
        FERMENTED = "fermented", "Fermented foods"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=Category.choices)
    serving = models.CharField(max_length=80, help_text='The serving in words, e.g. "1 cup (245 ml)".')
    serving_quantity = models.DecimalField(max_digits=7, decimal_places=1, validators=NON_NEGATIVE)
    serving_unit = models.CharField(max_length=2, choices=[("g", "g"), ("ml", "ml")], default="g")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "sort_order", "name"]

    def __str__(self):
        return self.name


class FoodNutrient(models.Model):
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="nutrients")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="food_amounts")
    amount = models.DecimalField(
        max_digits=8, decimal_places=1, validators=NON_NEGATIVE, help_text="Amount in one serving."
    )
    note = models.CharField(
        max_length=400,
        blank=True,
        help_text="Where sources disagree: the range they give and why this figure was chosen (a value measured on "
        "this food, not a group average).",
    )
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["food", "nutrient"]
        constraints = [models.UniqueConstraint(fields=["food", "nutrient"], name="one_amount_per_food_nutrient")]

    def __str__(self):
        return f"{self.food}: {self.amount} {self.nutrient.unit} {self.nutrient}"


class Medication(models.Model):
    class TimeWindow(models.TextChoices):
        ANY = "any", "Any time of day"
        FIRST_THING = "first-thing", "First thing in the morning only (before anything else, never at bedtime)"
        EMPTY_STOMACH = "empty-stomach", "On waking before breakfast, or at bedtime at least 3 hours after dinner"
        AFTER_BREAKFAST = "after-breakfast", "Right after breakfast (delayed-release risedronate)"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    is_anticoagulant = models.BooleanField(
        default=False,
        help_text="Vitamin K antagonists such as warfarin: the results show total vitamin K from food (keep it "
        "steady) instead of a K2 amount.",
    )
    time_window = models.CharField(
        max_length=15,
        choices=TimeWindow.choices,
        default=TimeWindow.ANY,
        help_text="When the timetable may place this medicine (from its label).",
    )
    may_be_weekly = models.BooleanField(
        default=False, help_text="Its label allows one dose a week (the form then asks how often it is taken)."
    )
    may_be_monthly = models.BooleanField(default=False, help_text="Its label allows one dose a month.")
    frequency_source_title = models.CharField(
        max_length=300, blank=True, help_text="Where the weekly or monthly dosing comes from (the label)."
    )
    frequency_source_url = models.URLField(max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Place in the form's list: lower first, then by name (e.g. warfarin before the others of its kind).",
    )

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Condition(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Caution(models.Model):
    """What a medication, a condition or a life stage means for a nutrient: a message, a severity, and the rules that
    follow for everything an answer offers (supplements it blocks, a cap on a supplement's daily amount)."""

    class Severity(models.TextChoices):
        INFO = "info", "Info"
        CAUTION = "caution", "Caution"
        CRITICAL = "critical", "Critical"

    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, null=True, blank=True, related_name="cautions")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, null=True, blank=True, related_name="cautions")
    life_stage = models.CharField(
        max_length=9,
        choices=[(LifeStage.PREGNANT, "Pregnant"), (LifeStage.LACTATING, "Lactating")],
        blank=True,
        help_text="For a caution that applies to everyone in this life stage (instead of a medication or condition).",
    )
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="cautions")
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.CAUTION)
    blocks = models.ManyToManyField(
        Nutrient,
        blank=True,
        related_name="blocked_by",
        help_text="Nutrients that may not be offered as a supplement (no plan amount, no product) to this person.",
    )
    supplement_cap_per_day = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Most of the caution's nutrient the plan and the products may add from supplements a day, in the "
        "nutrient's unit; empty for no cap beyond the upper limit.",
    )
    prefers_form = models.CharField(
        max_length=20,
        blank=True,
        choices=[("calcium-citrate", "Calcium citrate")],
        help_text="Products in this form of the nutrient come first (calcium citrate needs no stomach acid); the "
        "caution's source says why.",
    )
    message = models.TextField()
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["medication__name", "condition__name", "life_stage", "nutrient__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(medication__isnull=False) & Q(condition__isnull=True) & Q(life_stage=""))
                | (Q(medication__isnull=True) & Q(condition__isnull=False) & Q(life_stage=""))
                | (Q(medication__isnull=True) & Q(condition__isnull=True) & ~Q(life_stage="")),
                name="caution_for_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.medication or self.condition or self.get_life_stage_display()} / {self.nutrient}"

    def _has_owner(self, name):
        # An inline on an unsaved medication or condition sets the related object before it has an id.
        field = self._meta.get_field(name)
        return getattr(self, field.attname) is not None or (
            field.is_cached(self) and field.get_cached_value(self) is not None
        )

    def clean(self):
        owners = self._has_owner("medication") + self._has_owner("condition") + bool(self.life_stage)
        if owners != 1:
            raise ValidationError("A caution belongs to exactly one medication, one condition or one life stage.")
        expected = ProductNutrient.FORM_NUTRIENT.get(self.prefers_form)
        if self.prefers_form and self.nutrient_id is not None and self.nutrient.slug != expected:
            raise ValidationError(
                {"prefers_form": f"{self.get_prefers_form_display()} is not a form of {self.nutrient.name}."}
            )


class Spacing(models.Model):
    """A minimum gap between a medication and something else taken by mouth, from the medicine's label.

    "At least `hours_before` before it, or at least `hours_after` after it": the timetable keeps both, around every
    dose (the day repeats). Leave `hours_after` empty where the medicine must come first (bisphosphonates)."""

    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, related_name="spacings")
    other_nutrient = models.ForeignKey(
        Nutrient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Keep apart from supplements of this nutrient (and the meals they are taken with).",
    )
    other_medication = models.ForeignKey(
        Medication,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Or: keep apart from this medicine.",
    )
    everything = models.BooleanField(
        default=False, help_text="Or: keep apart from everything else taken by mouth (food, drinks, medicines)."
    )
    hours_before = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=NON_NEGATIVE,
        help_text="This medicine at least this many hours before the other.",
    )
    hours_after = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="Or at least this many hours after it; empty where this medicine must come first.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Whose gap this is, shown with it in the timetable: for a class of medicines, which member the hours "
        'belong to and what the others ask (e.g. "ibandronate\'s; 30 minutes for alendronate").',
    )
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["medication__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(other_nutrient__isnull=False) & Q(other_medication__isnull=True) & Q(everything=False))
                | (Q(other_nutrient__isnull=True) & Q(other_medication__isnull=False) & Q(everything=False))
                | (Q(other_nutrient__isnull=True) & Q(other_medication__isnull=True) & Q(everything=True)),
                name="spacing_against_one_thing",
            )
        ]

    def __str__(self):
        other = self.other_nutrient or self.other_medication or "everything else"
        return f"{self.medication} / {other}"

    def clean(self):
        chosen = (self.other_nutrient_id is not None) + (self.other_medication_id is not None) + self.everything
        if chosen != 1:
            raise ValidationError("Choose exactly one: a nutrient, another medicine, or everything else.")
        if self.other_medication_id is not None and self.other_medication_id == self.medication_id:
            raise ValidationError({"other_medication": "A medicine cannot be spaced from itself."})


class ReferenceValue(models.Model):
    """A single editable number the calculator uses, with its source (e.g. the 250 mg "other foods" allowance)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=160)
    value = models.DecimalField(max_digits=8, decimal_places=1, validators=NON_NEGATIVE)
    unit = models.CharField(max_length=10, blank=True)
    explanation = models.TextField(blank=True, help_text="What the number is for, shown to editors.")
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}: {self.value} {self.unit}".strip()


class ReferenceValueSource(models.Model):
    """Further evidence cited wherever a reference value is used (the trials that temper the K2 trial amount): each is
    listed in the result's sources with the value's own source."""

    reference_value = models.ForeignKey(ReferenceValue, on_delete=models.CASCADE, related_name="further_sources")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["reference_value", "order", "pk"]

    def __str__(self):
        return self.title


class Product(models.Model):
    class Certification(models.TextChoices):
        NONE = "none", "None"
        USP = "usp", "USP Verified"
        NSF = "nsf", "NSF Certified"
        INFORMED_CHOICE = "informed-choice", "Informed Choice"

    name = models.CharField(max_length=160)
    slug = models.SlugField(unique=True)
    brand = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=300, help_text="One or two plain sentences on what is in it.")
    servings_per_container = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE)
    currency = models.CharField(max_length=3, default="USD", validators=[CURRENCY_CODE])
    url = models.URLField(
        max_length=500, validators=[WEB_ADDRESS], help_text="Where the outbound link goes (through /go/<slug>/)."
    )
    image = models.ImageField(upload_to="products/", blank=True)
    image_alt = models.CharField(max_length=200, blank=True, help_text="Required when there is an image.")
    certification = models.CharField(max_length=16, choices=Certification.choices, default=Certification.NONE)
    is_active = models.BooleanField(default=True)
    is_starter = models.BooleanField(
        default=False, help_text="A generic starter listing shipped with the site, to be replaced by a real offer."
    )
    editor_note = models.TextField(blank=True)
    click_count = models.PositiveIntegerField(default=0, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.currency:
            self.currency = self.currency.upper()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})

    def validate_nutrients(self, rows):
        """The rule on what one serving holds as a whole, checked before the rows are saved (the admin's inline,
        a spreadsheet row): ``rows`` are the ProductNutrient rows the product will have."""
        if not rows:
            raise ValidationError("Give at least one nutrient with its amount per serving.", code="no_nutrient")

    @property
    def price_per_serving(self):
        if self.price is None:
            return None
        return (self.price / self.servings_per_container).quantize(Decimal("0.01"))


class ProductNutrient(models.Model):
    class Form(models.TextChoices):
        CALCIUM_CITRATE = "calcium-citrate", "Calcium citrate"
        CALCIUM_CARBONATE = "calcium-carbonate", "Calcium carbonate"
        MK7 = "mk-7", "Vitamin K2 as MK-7"
        MK4 = "mk-4", "Vitamin K2 as MK-4"
        D3 = "d3", "Vitamin D3"
        MAGNESIUM_GLYCINATE = "magnesium-glycinate", "Magnesium glycinate"
        MAGNESIUM_CITRATE = "magnesium-citrate", "Magnesium citrate"
        MAGNESIUM_OXIDE = "magnesium-oxide", "Magnesium oxide"
        OTHER = "other", "Other"

    # Which nutrient each specific form belongs to ("other" fits any nutrient).
    FORM_NUTRIENT = {
        Form.CALCIUM_CITRATE: "calcium",
        Form.CALCIUM_CARBONATE: "calcium",
        Form.MK7: "vitamin-k2",
        Form.MK4: "vitamin-k2",
        Form.D3: "vitamin-d",
        Form.MAGNESIUM_GLYCINATE: "magnesium",
        Form.MAGNESIUM_CITRATE: "magnesium",
        Form.MAGNESIUM_OXIDE: "magnesium",
    }

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="nutrients")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="product_amounts")
    amount = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        validators=[AMOUNT_IN_A_SERVING],
        help_text="Per serving, in the nutrient's unit (elemental calcium, not the compound's weight).",
    )
    form = models.CharField(max_length=20, choices=Form.choices, default=Form.OTHER)

    class Meta:
        ordering = ["product", "nutrient"]
        constraints = [models.UniqueConstraint(fields=["product", "nutrient"], name="one_amount_per_product_nutrient")]

    def __str__(self):
        return f"{self.product}: {self.amount} {self.nutrient.unit} {self.get_form_display()}"

    def clean(self):
        expected = self.FORM_NUTRIENT.get(self.form)
        if expected is not None and self.nutrient_id is not None and self.nutrient.slug != expected:
            raise ValidationError(
                {
                    "form": f"{self.get_form_display()} is not a form of {self.nutrient.name.lower()}: choose a form "
                    "that matches."
                }
            )
