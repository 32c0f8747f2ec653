"""The one validation source for the calculator: the HTML form (GET) and the JSON API both use `IntakeForm`.

The API only reshapes its JSON into the same form data (`form_data_from_json`) and reshapes the form's errors back
into JSON field names (`json_errors`); every range and rule lives in the form, or in `life_stage_error`.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from calculator import intake
from calculator.models import Authority
from calculator.numbers import amount_text
from calculator.reference import CALCIUM, US, VITAMIN_K1, VITAMIN_K2, Reference, life_stage_error
from calculator.restrictions import DAILY
from calculator.templatetags.sentences import in_sentence

FOOD_PREFIX = "food_"
FREQUENCY_PREFIX = "frequency_"
FREQUENCY_LABELS = {"daily": "Every day", "weekly": "Once a week", "monthly": "Once a month"}
SUPPLEMENT_FIELDS = ("calcium_mg", "calcium_doses_per_day", "vitamin_k2_mcg", "vitamin_d_iu")
LIST_FIELDS = ("medications", "conditions")
TEXT_FIELDS = ("sex", "life_stage", "goal", "guideline")
NUMBER_FIELDS = ("other_foods_mg",)
JSON_FIELDS = ("age", *TEXT_FIELDS, "foods", "other_foods_mg", "supplements", *LIST_FIELDS, "frequencies")


def in_range(what: str, low, high, unit: str = "") -> dict[str, str]:
    """Error messages that say what to enter, with the field's range (thousands separated)."""
    message = f"Enter {what} from {low:,} to {high:,}{' ' + unit if unit else ''}."
    return dict.fromkeys(("invalid", "min_value", "max_value", "max_digits", "max_whole_digits"), message)


class IntakeForm(forms.Form):
    age = forms.IntegerField(
        label="Age",
        min_value=1,
        max_value=120,
        error_messages={**in_range("an age", 1, 120), "required": "Enter your age in whole years, from 1 to 120."},
        help_text="In whole years, from 1 to 120.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=[("female", "Female"), ("male", "Male")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose female or male.", "invalid_choice": "Choose female or male."},
        help_text="The official tables give different values by sex for some ages.",
    )
    life_stage = forms.ChoiceField(
        label="Pregnant or breastfeeding?",
        required=False,
        initial="none",
        widget=forms.RadioSelect,
        choices=[("none", "Neither"), ("pregnant", "Pregnant"), ("lactating", "Breastfeeding")],
        help_text="Only for females aged 14 to 50.",
    )
    goal = forms.ChoiceField(
        label="What matters most to you?",
        required=False,
        initial="general",
        widget=forms.RadioSelect,
        choices=[("general", "General health"), ("bone_health", "Bone health (for example after the menopause)")],
    )
    guideline = forms.ChoiceField(
        label="Whose intake tables?",
        required=False,
        initial=US,
        widget=forms.RadioSelect,
        choices=Authority.choices,
        help_text="The targets follow the tables you choose; upper limits are never looser than the US ones.",
    )
    calcium_mg = forms.IntegerField(
        label="Calcium from supplements (mg of elemental calcium a day)",
        required=False,
        min_value=0,
        max_value=5000,
        error_messages=in_range("a calcium amount", 0, 5000, "mg"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "50"}),
        help_text=(
            "If the label gives only the compound's weight: calcium carbonate is 40% calcium (1,250 mg carbonate = "
            "500 mg calcium); calcium citrate is 21%."
        ),
    )
    calcium_doses_per_day = forms.IntegerField(
        label="Taken in how many doses a day",
        required=False,
        min_value=1,
        max_value=6,
        error_messages=in_range("a number of doses", 1, 6),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="From 1 to 6.",
    )
    vitamin_k2_mcg = forms.IntegerField(
        label="Vitamin K2 from supplements (mcg a day)",
        required=False,
        min_value=0,
        max_value=50000,
        error_messages=in_range("a vitamin K2 amount", 0, 50000, "mcg"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    vitamin_d_iu = forms.IntegerField(
        label="Vitamin D from supplements (IU a day)",
        required=False,
        min_value=0,
        max_value=10000,
        error_messages=in_range("a vitamin D amount", 0, 10000, "IU"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "100"}),
        help_text="All you take, multivitamins included. 1 mcg is 40 IU (25 mcg = 1,000 IU).",
    )
    other_foods_mg = forms.IntegerField(
        label="Calcium from foods not on the list (mg a day)",
        required=False,
        min_value=0,
        max_value=1500,
        error_messages=in_range("a calcium amount", 0, 1500, "mg"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "50"}),
    )
    medications = forms.MultipleChoiceField(
        label="Medicines you take", required=False, widget=forms.CheckboxSelectMultiple
    )
    conditions = forms.MultipleChoiceField(
        label="Conditions you have", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reference: Reference, **kwargs):
        super().__init__(*args, **kwargs)  # Django's own per-form copy of the declared fields
        self.reference = reference
        self.fields = _with_snapshot_fields(self.fields, reference)

    # -- cleaning --------------------------------------------------------------------------------------------

    def clean_life_stage(self):
        return self.cleaned_data.get("life_stage") or "none"

    def clean_goal(self):
        return self.cleaned_data.get("goal") or "general"

    def clean_guideline(self):
        return self.cleaned_data.get("guideline") or US

    def clean_other_foods_mg(self):
        value = self.cleaned_data.get("other_foods_mg")
        return self.fields["other_foods_mg"].initial if value is None else value

    def clean_calcium_doses_per_day(self):
        doses = self.cleaned_data.get("calcium_doses_per_day")
        return 1 if doses is None else doses

    def clean(self):
        cleaned = super().clean()
        age, sex, stage = cleaned.get("age"), cleaned.get("sex"), cleaned.get("life_stage")
        if age is not None and sex and stage:
            error = life_stage_error(age=age, sex=sex, life_stage=stage)
            if error:
                self.add_error("life_stage", error)
        taken = set(cleaned.get("medications") or ())
        for slug, bound in self.frequency_fields():
            if cleaned.get(bound.name, DAILY) not in ("", DAILY) and slug not in taken:
                self.add_error(bound.name, "Tick this medicine in the list too, or choose “Every day”.")
        return cleaned

    # -- presentation helpers --------------------------------------------------------------------------------

    def error_summary(self) -> list[tuple[str | None, str]]:
        """(id of the input to focus, message) for each error, in form order, for the summary at the top."""
        items: list[tuple[str | None, str]] = []
        for name, messages in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                items.extend((None, message) for message in messages)
                continue
            bound = self[name]
            grouped = isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            target = f"{bound.auto_id}_0" if grouped else bound.auto_id
            items.extend((target, f"{bound.label}: {message}") for message in messages)
        return items

    def frequency_fields(self) -> list[tuple[str, forms.BoundField]]:
        """(medication slug, its "how often" field) for each medicine whose data allows more than daily."""
        return [
            (m.slug, self[FREQUENCY_PREFIX + m.slug])
            for m in self.reference.medications
            if FREQUENCY_PREFIX + m.slug in self.fields
        ]

    def food_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Food fields grouped by category, in the reference order, for one fieldset per category."""
        groups: dict[str, list[forms.BoundField]] = {}
        for food in self.reference.foods:
            groups.setdefault(food.category_label, []).append(self[FOOD_PREFIX + food.slug])
        return list(groups.items())

    def to_profile(self) -> intake.Profile:
        data = self.cleaned_data
        return intake.Profile(
            age=data["age"],
            sex=data["sex"],
            life_stage=data["life_stage"],
            goal=data["goal"],
            foods={
                food.slug: float(data[FOOD_PREFIX + food.slug])
                for food in self.reference.foods
                if data.get(FOOD_PREFIX + food.slug)
            },
            other_foods_mg=float(data["other_foods_mg"]),
            calcium_supplement_mg=float(data.get("calcium_mg") or 0),
            calcium_doses_per_day=data["calcium_doses_per_day"],
            k2_supplement_mcg=float(data.get("vitamin_k2_mcg") or 0),
            vitamin_d_supplement_iu=float(data.get("vitamin_d_iu") or 0),
            medications=tuple(data.get("medications") or ()),
            frequencies={
                slug: data.get(FREQUENCY_PREFIX + slug) or DAILY
                for slug in data.get("medications") or ()
                if (data.get(FREQUENCY_PREFIX + slug) or DAILY) != DAILY
            },
            conditions=tuple(data.get("conditions") or ()),
            guideline=data["guideline"],
        )


def _with_snapshot_fields(declared: dict[str, forms.Field], reference: Reference) -> dict[str, forms.Field]:
    """This form's own fields for this reference snapshot, in order: the declared ones (already this form's copies)
    with the snapshot's medicines, conditions and allowance, a "how often" select after the medicines for each one
    whose data allows more than daily, then one field per food. Built anew for every form: nothing is shared."""
    declared["medications"].choices = [(m.slug, m.name) for m in reference.medications]
    declared["conditions"].choices = [(c.slug, c.name) for c in reference.conditions]
    allowance = round(reference.other_foods_mg)
    declared["other_foods_mg"].initial = allowance
    declared["other_foods_mg"].help_text = (
        f"Bread, vegetables, mixed dishes and everything else you eat: we count {allowance:,} mg a day unless "
        "you change it. Raise it if you eat many calcium-rich vegetables; from 0 to 1,500."
    )
    fields: dict[str, forms.Field] = {}
    for name, field in declared.items():
        fields[name] = field
        if name != "medications":
            continue
        for medicine in reference.medications:
            if len(medicine.frequencies) > 1:
                fields[FREQUENCY_PREFIX + medicine.slug] = forms.ChoiceField(
                    label=f"How often do you take {in_sentence(medicine.name)}?",
                    required=False,
                    initial=DAILY,
                    choices=[(f, FREQUENCY_LABELS.get(f, f)) for f in medicine.frequencies],
                    error_messages={"invalid_choice": f"Choose one of: {', '.join(medicine.frequencies)}."},
                    help_text="Only if you take it. The timetable shows the day you take it.",
                )
    for food in reference.foods:
        facts = [f"one serving is {food.serving}"]
        if food.amount(CALCIUM):
            facts.append(f"{amount_text(food.amount(CALCIUM))} mg calcium")
        if food.amount(VITAMIN_K1):
            facts.append(f"{amount_text(food.amount(VITAMIN_K1))} mcg vitamin K1")
        if food.amount(VITAMIN_K2):
            facts.append(f"{amount_text(food.amount(VITAMIN_K2))} mcg vitamin K2")
        fields[FOOD_PREFIX + food.slug] = forms.DecimalField(
            label=food.name,
            required=False,
            min_value=Decimal(0),
            max_value=Decimal(20),
            max_digits=5,
            decimal_places=2,
            error_messages={
                **in_range("servings", 0, 20, "a day (such as 1.5)"),
                "max_decimal_places": "Enter servings with at most 2 decimal places, such as 1.25.",
            },
            help_text="Servings a day; " + ", ".join(facts) + ".",
            widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        )
    return fields


# -- the JSON shape <-> the form's data ------------------------------------------------------------------------


# Far beyond every field's range. A larger JSON number (a 400-digit integer: float() overflows), Infinity or NaN is a
# field error like any other out-of-range value, never a 500.
JSON_NUMBER_LIMIT = 10**9


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and -JSON_NUMBER_LIMIT <= value <= JSON_NUMBER_LIMIT
    )


def _number_text(value) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def form_data_from_json(payload, *, reference: Reference) -> tuple[dict, dict[str, list[str]]]:
    """Reshape a decoded JSON body into IntakeForm data. Returns (data, shape errors).

    Only the JSON shape is checked here (types, unknown keys and slugs); ranges and rules stay in the form.
    """
    errors: dict[str, list[str]] = {}
    data: dict[str, object] = {}
    if not isinstance(payload, dict):
        return {}, {"body": ["The body must be a JSON object."]}
    for key in payload:
        if key not in JSON_FIELDS:
            errors.setdefault(key, []).append(f"Unknown field. Valid fields: {', '.join(JSON_FIELDS)}.")

    if "age" in payload:
        if _is_number(payload["age"]) and float(payload["age"]).is_integer():
            data["age"] = str(int(payload["age"]))
        else:
            errors["age"] = ["Must be a whole number of years."]
    for key in TEXT_FIELDS:
        if key in payload:
            if isinstance(payload[key], str):
                data[key] = payload[key]
            else:
                errors[key] = ["Must be a string."]

    for key in NUMBER_FIELDS:
        if key in payload:
            if _is_number(payload[key]):
                data[key] = _number_text(payload[key])
            else:
                errors[key] = ["Must be a number."]

    foods = payload.get("foods", {})
    if not isinstance(foods, dict):
        errors["foods"] = ["Must be an object of food slug -> servings per day."]
    else:
        known = {food.slug for food in reference.foods}
        for slug, servings in foods.items():
            if slug not in known:
                errors.setdefault("foods", []).append(f"Unknown food “{slug}”. See /api/intake/options/.")
            elif not _is_number(servings):
                errors[f"foods.{slug}"] = ["Must be a number of servings per day."]
            else:
                data[FOOD_PREFIX + slug] = _number_text(servings)

    supplements = payload.get("supplements", {})
    if not isinstance(supplements, dict):
        errors["supplements"] = [f"Must be an object with {', '.join(SUPPLEMENT_FIELDS)}."]
    else:
        for key, value in supplements.items():
            if key not in SUPPLEMENT_FIELDS:
                errors.setdefault("supplements", []).append(
                    f"Unknown field “{key}”. Valid fields: {', '.join(SUPPLEMENT_FIELDS)}."
                )
            elif not _is_number(value):
                errors[f"supplements.{key}"] = ["Must be a number."]
            else:
                data[key] = _number_text(value)

    frequencies = payload.get("frequencies", {})
    if not isinstance(frequencies, dict):
        errors["frequencies"] = ["Must be an object of medication slug -> daily, weekly or monthly."]
    else:
        allowed = {m.slug: m.frequencies for m in reference.medications}
        for slug, frequency in frequencies.items():
            if slug not in allowed:
                errors.setdefault("frequencies", []).append(f"Unknown medication “{slug}”. See /api/intake/options/.")
            elif not isinstance(frequency, str) or frequency not in allowed[slug]:
                errors[f"frequencies.{slug}"] = [f"Must be one of: {', '.join(allowed[slug])}."]
            elif len(allowed[slug]) > 1:
                data[FREQUENCY_PREFIX + slug] = frequency

    for key in LIST_FIELDS:
        value = payload.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            errors[key] = ["Must be a list of slugs (strings)."]
        else:
            data[key] = value
    return data, errors


def json_errors(form: IntakeForm) -> dict[str, list[str]]:
    """The form's errors under the JSON field names (foods.milk, supplements.calcium_mg, ...)."""
    renamed: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        if name.startswith(FOOD_PREFIX):
            key = "foods." + name.removeprefix(FOOD_PREFIX)
        elif name in SUPPLEMENT_FIELDS:
            key = "supplements." + name
        elif name.startswith(FREQUENCY_PREFIX):
            key = "frequencies." + name.removeprefix(FREQUENCY_PREFIX)
        else:
            key = name
        renamed[key] = list(messages)
    return renamed


class _QueryData(dict):
    """Form data from JSON: lists are returned whole by getlist, as a QueryDict would."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def bound_form_from_json(payload, *, reference: Reference) -> tuple[IntakeForm, dict[str, list[str]]]:
    """Validate a JSON body with the form. Returns (form, errors): every error at once, shape errors first."""
    data, shape_errors = form_data_from_json(payload, reference=reference)
    form = IntakeForm(_QueryData(data), reference=reference)
    form_errors = {} if form.is_valid() else json_errors(form)
    errors = {**{k: v for k, v in form_errors.items() if k not in shape_errors}, **shape_errors}
    return form, errors
