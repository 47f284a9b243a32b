"""The AI-system profile: one neutral, jurisdiction-free description of one system.

Every field is optional and `None` means *unknown*, never *no*: the engine reasons with
unknowns and asks about the ones that matter. Field descriptions double as the questionnaire's
questions, so they are phrased to be answered.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from accord import vocabulary
from accord.dates import Date
from accord.profile.bounds import NumberOrBound

Role = Literal[
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
]
ContentType = Literal["text", "image", "audio", "video", "code"]
Approach = Literal[
    "machine_learning",
    "logic_knowledge_based",
    "human_written_rules",
    "basic_data_processing",
    "classical_heuristics",
    "simple_statistics",
    "optimisation_acceleration",
]
InputData = Literal[
    "face",
    "voice",
    "body_movement",
    "eye_tracking",
    "keystrokes",
    "physiological",
    "fingerprint_or_iris",
    "text",
    "documents",
    "images_without_people",
    "transactions",
    "location",
    "online_behaviour",
    "sensor_readings",
    "special_category",
    "anonymised",
    "third_party_purchased",
]
Person = Literal[
    "employees",
    "job_candidates",
    "self_employed",
    "students",
    "children",
    "customers",
    "patients",
    "public",
    "benefit_claimants",
    "suspects_or_offenders",
    "travellers_or_migrants",
    "users",
    "organisations",
]
Stage = Literal[
    "preparatory",
    "screening",
    "recommendation",
    "final_decision",
    "after_decision_review",
]
Domain = Literal[
    "employment",
    "education",
    "credit",
    "financial_services",
    "housing",
    "insurance",
    "healthcare",
    "legal_services",
    "essential_government_services",
    "criminal_justice",
]
Setting = Literal[
    "workplace",
    "education",
    "publicly_accessible_space",
    "law_enforcement",
    "migration_border",
    "healthcare",
    "critical_infrastructure",
    "vehicle",
    "home",
]
ProductLegislation = Literal[
    "machinery",
    "toys",
    "recreational_craft",
    "lifts",
    "atex",
    "radio_equipment",
    "pressure_equipment",
    "cableways",
    "ppe",
    "gas_appliances",
    "medical_devices",
    "in_vitro_diagnostics",
    "civil_aviation_security",
    "two_three_wheel_vehicles",
    "agricultural_vehicles",
    "marine_equipment",
    "rail",
    "motor_vehicles",
    "vehicle_general_safety",
    "unmanned_aircraft",
]


MAX_LIST_ITEMS = 1000
"""Most items any list in a profile may hold (uses, markets, controls, evidence...). Far above
any real system (there are about 250 countries), and it keeps every output linear and small."""


def _numeric(model: type[BaseModel], name: str) -> bool:
    """Whether a field holds a number (pydantic would read true as 1.0 there)."""
    field = model.model_fields.get(name)
    if field is None:
        return False
    args = getattr(field.annotation, "__args__", None) or (field.annotation,)
    return any(a in (int, float) for a in args)


class Group(BaseModel):
    """Base for profile sections: unknown keys are errors (typos must not pass as unknowns).

    Text may not carry control characters (escape sequences would rewrite a terminal), and
    numbers must be finite: a turnover of infinity is a typo, not a fact.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=False, validate_assignment=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _not_too_many(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name and _numeric(cls, info.field_name):
            raise ValueError("expected a number, not true/false")
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
            raise ValueError(
                f"{len(value)} items is more than the {MAX_LIST_ITEMS} a profile may list; a "
                "profile describes one system (split it, or use a broader code such as EU)"
            )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and (bad := _CONTROL.search(value)):
            raise ValueError(f"control character U+{ord(bad.group()):04X} is not allowed in text")
        return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _q(question: str, **extra: Any) -> dict[str, Any]:
    return {"question": question, **extra}


class Organisation(Group):
    name: str | None = Field(None, description="Legal name of the organisation.")
    established_in: str | None = Field(
        None,
        description="Where the organisation is established (jurisdiction code, e.g. DE, US-CA).",
        json_schema_extra=_q("Where is your organisation established (e.g. DE, US-CA, KR)?"),
    )
    size: Literal["micro", "small", "medium", "small_mid_cap", "large"] | None = Field(
        None,
        description="Enterprise size class (micro/small/medium are SMEs under Rec. 2003/361/EC).",
        json_schema_extra=_q("What size is your organisation?"),
    )
    startup: bool | None = Field(None, description="Whether the organisation is a start-up.")
    annual_turnover_eur: float | None = Field(
        None,
        ge=0,
        description="Total worldwide annual turnover of the preceding financial year, in EUR.",
        json_schema_extra=_q("What was the worldwide annual turnover last year, in EUR?"),
    )
    annual_revenue_usd: float | None = Field(
        None,
        ge=0,
        description="Annual gross revenue of the preceding year, in USD (used by US laws).",
        json_schema_extra=_q("What was annual gross revenue last year, in USD?"),
    )
    kind: (
        Literal["private", "public_authority", "eu_institution", "international_organisation"]
        | None
    ) = Field(
        None,
        description="Whether the organisation is private, a public authority, an EU body or an "
        "international organisation.",
        json_schema_extra=_q(
            "Is the organisation private, a public authority, an EU body, or "
            "an international organisation?"
        ),
    )
    provides_public_services: bool | None = Field(
        None,
        description="Private entity providing public services (e.g. education, healthcare, "
        "social services, housing) on behalf of or like a public body.",
        json_schema_extra=_q("Is the organisation a private entity providing public services?"),
    )
    financial_institution: bool | None = Field(
        None, description="Credit or financial institution subject to sectoral governance rules."
    )
    law_enforcement: bool | None = Field(
        None,
        description="Law-enforcement authority, or acting on its behalf.",
        json_schema_extra=_q("Is the organisation a law-enforcement authority or acting for one?"),
    )
    migration_authority: bool | None = Field(
        None, description="Migration, asylum or border-control authority, or acting for one."
    )
    equivalent_incident_reporting: bool | None = Field(
        None,
        description="The organisation is subject to other EU law that imposes serious-incident "
        "reporting duties equivalent to the EU AI Act's (e.g. sectoral financial-services rules).",
        json_schema_extra=_q(
            "Are you already bound by other EU incident-reporting rules "
            "equivalent to the AI Act's (e.g. financial-services rules)?"
        ),
    )
    daily_users_in_market: int | None = Field(
        None, ge=0, description="Average daily users of the service in its largest market."
    )
    monthly_users: int | None = Field(
        None,
        ge=0,
        description="Average monthly visitors or users of the system or service, all markets "
        "together (used by US content-provenance laws).",
        json_schema_extra=_q(
            "How many monthly visitors or users does the system have, on average?"
        ),
    )
    licensed_profession: bool | None = Field(
        None,
        description="The organisation uses the system in an occupation that needs a state "
        "licence or certification (e.g. medicine, law, accounting, mental-health counselling).",
        json_schema_extra=_q(
            "Is the system used in a licensed or certified profession (e.g. "
            "medicine, law, accounting, mental health)?"
        ),
    )
    annual_revenue_krw: float | None = Field(
        None,
        ge=0,
        description="Total revenue of the preceding year, in KRW (used by Korean law).",
        json_schema_extra=_q("What was total revenue last year, in Korean won (KRW)?"),
    )
    ai_service_revenue_krw: float | None = Field(
        None,
        ge=0,
        description="Revenue from AI services in the preceding year, in KRW (used by Korean law).",
        json_schema_extra=_q("What was revenue from AI services last year, in Korean won?"),
    )
    daily_users_korea: int | None = Field(
        None,
        ge=0,
        description="Average daily users in the Republic of Korea over the last three months.",
        json_schema_extra=_q(
            "How many daily users in Korea, on average over the last three months?"
        ),
    )
    registered_users_india: int | None = Field(
        None,
        ge=0,
        description="Number of registered users in India.",
        json_schema_extra=_q("How many registered users does the service have in India?"),
    )
    employer_or_employment_agency: bool | None = Field(
        None,
        description="The organisation uses the tool as an employer or employment agency for its "
        "own hiring or promotion decisions (not only as a vendor supplying it to clients).",
        json_schema_extra=_q(
            "Do you use the tool yourself as an employer or employment agency "
            "(not only supply it to clients)?"
        ),
    )
    employee_count: int | None = Field(
        None,
        ge=0,
        description="Number of people the organisation regularly employs, all locations "
        "together, part-time staff counted (used by employment laws with headcount thresholds, "
        "e.g. California's five-employee test).",
        json_schema_extra=_q("How many people does the organisation regularly employ?"),
    )
    acts_for_client_employers: bool | None = Field(
        None,
        description="The organisation itself recruits, screens or ranks applicants, or handles "
        "promotion, pay, benefits or leave decisions, on behalf of client employers (e.g. runs "
        "candidate screening as a service), not only licenses software the clients run.",
        json_schema_extra=_q(
            "Do you recruit, screen or rank people, or make pay, promotion or leave "
            "decisions, on behalf of client employers (not only license software)?"
        ),
    )
    non_profit: bool | None = Field(
        None,
        description="The organisation is not organised for profit (a charity, foundation, "
        "non-profit association or similar).",
        json_schema_extra=_q(
            "Is the organisation a non-profit (charity, foundation, association)?"
        ),
    )
    ca_consumers_or_households: int | None = Field(
        None,
        ge=0,
        description="Number of California consumers or households whose personal information "
        "the organisation buys, sells or shares (for cross-context behavioural advertising) in "
        "a year (used by the California Consumer Privacy Act).",
        json_schema_extra=_q(
            "Of how many California consumers or households do you buy, sell or share "
            "personal information each year?"
        ),
    )
    majority_revenue_from_personal_info: bool | None = Field(
        None,
        description="Half or more of the organisation's annual revenue comes from selling or "
        "sharing consumers' personal information (e.g. a data broker; used by the California "
        "Consumer Privacy Act).",
        json_schema_extra=_q(
            "Does half or more of annual revenue come from selling or sharing personal information?"
        ),
    )

    insurance_lines: (
        list[
            Literal[
                "individual_life",
                "group_life",
                "health_benefit_plan",
                "private_passenger_auto",
                "homeowners",
                "commercial",
                "other",
            ]
        ]
        | None
    ) = Field(
        None,
        description="Lines of insurance the organisation writes as a licensed insurer, as a "
        "list ([] if it is not an insurer): individual_life, group_life, health_benefit_plan "
        "(health insurance or health plans), private_passenger_auto (personal car insurance), "
        "homeowners, commercial, other (used by state insurance rules on algorithms and "
        "external consumer data).",
        json_schema_extra=_q(
            "Is the organisation a licensed insurer, and which lines does it write "
            "(individual_life, group_life, health_benefit_plan, private_passenger_auto, "
            "homeowners, commercial, other; none)?",
            examples=[["individual_life"], []],
        ),
    )

    @field_validator("established_in")
    @classmethod
    def _known_establishment(cls, value: str | None) -> str | None:
        if value is None:
            return value
        canon = vocabulary.canonical_jurisdiction(str(value))
        if canon is None:
            raise ValueError(
                f"unknown jurisdiction code {value!r}; use codes like DE, FR, US-CA, KR, CN"
            )
        return canon


class Lifecycle(Group):
    status: (
        Literal[
            "design",
            "development",
            "testing",
            "real_world_testing",
            "on_market",
            "in_service",
            "retired",
        ]
        | None
    ) = Field(
        None,
        description="Where the system is in its lifecycle.",
        json_schema_extra=_q(
            "Is the system in development, being tested, or on the market / in service?"
        ),
    )
    placed_on_market: Date | None = Field(
        None,
        description="Date the system (or model) was first placed on the market or put into "
        "service in any target market.",
        json_schema_extra=_q(
            "When was the system first placed on the market or put into service (YYYY-MM-DD)?"
        ),
    )
    significant_design_change: bool | None = Field(
        None,
        description="The design changed significantly after the system was first placed on the "
        "market (matters for legacy systems).",
    )
    last_significant_change: Date | None = Field(
        None,
        description="Date of the most recent significant change to the system's design (a "
        "change before a law's cut-off date does not end a legacy system's shelter).",
        json_schema_extra=_q(
            "When did the system's design last change significantly (YYYY-MM-DD)?"
        ),
    )
    substantial_modification: bool | None = Field(
        None,
        description="The system was substantially modified by someone other than its original "
        "provider, or its intended purpose changed.",
    )
    rebranded: bool | None = Field(
        None,
        description="Your organisation put its own name or trademark on a system someone else "
        "developed.",
    )
    intended_for_public_authorities: bool | None = Field(
        None, description="The system is intended to be used by public authorities."
    )
    taken_over_by_new_provider: bool | None = Field(
        None,
        description="Another organisation has become the provider of this system (or of a "
        "high-risk system made from it) by putting its name on it, substantially modifying it or "
        "turning it to a high-risk purpose.",
        json_schema_extra=_q(
            "Has another organisation rebranded, substantially modified or "
            "repurposed your system so that it became its provider?"
        ),
    )
    high_risk_use_excluded: bool | None = Field(
        None,
        description="You clearly specified that the system must not be changed into a high-risk "
        "system.",
    )


class Technique(Group):
    approach: list[Approach] | None = Field(
        None,
        description="How the system produces its outputs, as a list (e.g. [machine_learning]): "
        "machine_learning (trained on data, "
        "incl. deep learning, LLMs, reinforcement learning); logic_knowledge_based (reasons "
        "over a knowledge base or rules to reach new conclusions, e.g. an expert system); "
        "human_written_rules (only executes if-then rules people wrote); "
        "basic_data_processing (sorting, filtering, queries, formulas, charts); "
        "classical_heuristics (e.g. a minimax game search with hand-written evaluation); "
        "simple_statistics (averages or fixed baselines); optimisation_acceleration "
        "(machine learning or regression used only to speed up or approximate an established "
        "optimisation or simulation method, giving the same results faster).",
        json_schema_extra=_q(
            "How does it produce its outputs (machine_learning, logic_knowledge_based, "
            "human_written_rules, basic_data_processing, classical_heuristics, "
            "simple_statistics, optimisation_acceleration)?",
            examples=[["machine_learning"], ["human_written_rules", "basic_data_processing"]],
        ),
    )
    is_model: bool | None = Field(
        None,
        description="What you describe is an AI model on its own (weights, or a model offered "
        "through an API), not an application or system built around a model.",
        json_schema_extra=_q(
            "Is what you describe a model on its own (weights or a model API), rather than an "
            "application built around one?"
        ),
    )
    input_data: list[InputData] | None = Field(
        None,
        description="Kinds of data the system takes in. Biometric kinds: face, voice, "
        "body_movement (gestures, gait, posture), eye_tracking, keystrokes (typing rhythm), "
        "physiological (heart rate, skin response), fingerprint_or_iris. Others: text, "
        "documents, images_without_people, transactions, location, online_behaviour, "
        "sensor_readings (machines, networks, environment), special_category (health, "
        "religion, ethnicity, sexual life, political or union data), anonymised, "
        "third_party_purchased (bought or obtained from other sources).",
        json_schema_extra=_q(
            "What kinds of data does it take in (face, voice, text, documents, transactions, ...)?",
            examples=[["face", "voice"], ["text", "documents"]],
        ),
    )
    infers_from_inputs: bool | None = Field(
        None,
        description="The system infers from its inputs how to produce outputs (machine learning "
        "or logic/knowledge-based inference), rather than executing only rules written by "
        "people. Answer false also where it only does basic data processing, classical "
        "heuristics or simple statistics such as averages, or uses machine learning only to "
        "speed up an established optimisation or simulation method (see `approach`).",
        json_schema_extra=_q(
            "Does the system infer its outputs from data (machine learning or "
            "similar), rather than only run rules written by people?"
        ),
    )
    gpai_model: bool | None = Field(
        None,
        description="The thing profiled is a general-purpose AI model (significant generality, "
        "competent at a wide range of distinct tasks).",
        json_schema_extra=_q(
            "Is this a general-purpose AI model (not an application built on one)?"
        ),
    )
    built_on_gpai_model: bool | None = Field(
        None, description="The system is built on a general-purpose AI model."
    )
    modified_gpai_model: bool | None = Field(
        None,
        description="Your organisation changed the underlying general-purpose AI model itself "
        "(e.g. fine-tuning, distillation or other changes to its weights), not just prompting, "
        "retrieval or wrapping it in an application.",
        json_schema_extra=_q(
            "Did you modify the underlying general-purpose AI model itself "
            "(e.g. fine-tune it), rather than only prompt or wrap it?"
        ),
    )
    modification_compute_share: float | None = Field(
        None,
        ge=0,
        description="Compute used to modify the underlying general-purpose AI model, as a "
        "fraction of the compute originally used to train it (e.g. 0.05 for 5%).",
        json_schema_extra=_q(
            "What compute did your modification use, as a fraction of the "
            "original model's training compute (e.g. 0.05)?"
        ),
    )
    training_compute_flop: NumberOrBound | None = Field(
        None,
        description="Cumulative compute used to train the model, in floating-point operations: "
        'a number (3e24), or a bound when only that is known ("> 1e23", "< 1e25", '
        '"1e23..1e24"). Include fine-tuning and reinforcement learning you ran on it.',
        json_schema_extra=_q(
            'How much compute was used to train the model, in FLOP (e.g. 3e24, or "> 1e23")?',
            examples=[3e24, "> 1e23", "1e23..1e24"],
        ),
    )
    designated_systemic_risk: bool | None = Field(
        None,
        description="A regulator (e.g. the European Commission) designated the model as having "
        "systemic risk.",
    )
    open_source: bool | None = Field(
        None,
        description="Released under a free and open-source licence that allows access, use, "
        "modification and distribution.",
        json_schema_extra=_q("Is it released under a free and open-source licence?"),
    )
    weights_public: bool | None = Field(
        None,
        description="Weights, architecture and usage information are publicly available.",
    )
    monetised: bool | None = Field(
        None, description="The model or system is offered for a price or otherwise monetised."
    )
    generates_content: list[ContentType] | None = Field(
        None,
        description="Kinds of synthetic content the system generates ([] if none).",
        json_schema_extra=_q(
            "Which kinds of content does the system generate (text, image, "
            "audio, video, code; none)?"
        ),
    )
    generates_deep_fakes: bool | None = Field(
        None,
        description="It generates or manipulates, with AI, image, audio or video resembling real "
        "people, objects, places or events that would falsely appear authentic.",
        json_schema_extra=_q(
            "Can it produce realistic images, audio or video of real people or events (deep fakes)?"
        ),
    )
    artistic_work: bool | None = Field(
        None,
        description="The generated or manipulated content forms part of an evidently artistic, "
        "creative, satirical, fictional or similar work or programme.",
        json_schema_extra=_q(
            "Is the generated content part of an evidently artistic, creative, "
            "satirical or fictional work?"
        ),
    )
    public_interest_text: bool | None = Field(
        None,
        description="It generates text published to inform the public on matters of public "
        "interest.",
    )
    editorial_control: bool | None = Field(
        None,
        description="Generated public-interest text goes through human review or editorial "
        "control, with a person holding editorial responsibility.",
    )
    assistive_editing_only: bool | None = Field(
        None,
        description="It only assists standard editing, or does not substantially alter the input "
        "data or its meaning.",
    )
    interacts_with_people: bool | None = Field(
        None,
        description="It is intended to interact directly with natural persons (chat, voice, "
        "avatar).",
        json_schema_extra=_q(
            "Does the system interact directly with people (chat, voice, avatar)?"
        ),
    )
    ai_obvious: bool | None = Field(
        None,
        description="That people are dealing with an AI is obvious from the context to a "
        "reasonably well-informed person.",
    )
    human_like_companion: bool | None = Field(
        None,
        description="It simulates a human personality and engages users emotionally "
        "(companion or anthropomorphic interaction).",
    )
    replies_limited_to_own_topic: bool | None = Field(
        None,
        description="Its replies stay within its own game, product or service (e.g. a game "
        "character that only talks about the game) and it cannot discuss other topics such as "
        "mental health, self-harm or sex, or keep up a conversation on unrelated subjects.",
        json_schema_extra=_q(
            "Does the chatbot only talk about its own game, product or service, unable to "
            "discuss unrelated topics such as mental health, self-harm or sex?"
        ),
    )
    remote_biometric_identification: Literal["none", "real_time", "post"] | None = Field(
        None,
        description="Whether it identifies people remotely from biometric data, live or after "
        "the fact.",
    )
    continues_learning: bool | None = Field(None, description="It keeps learning after deployment.")


class Practices(Group):
    """Facts that decide the outright bans. Answer honestly: these are red flags, not features."""

    manipulative_techniques: bool | None = Field(
        None,
        description="It uses subliminal techniques, or purposefully manipulative or deceptive "
        "techniques.",
        json_schema_extra=_q(
            "Does it use subliminal, purposefully manipulative or deceptive techniques?"
        ),
    )
    exploits_vulnerabilities: bool | None = Field(
        None,
        description="It exploits vulnerabilities due to age, disability or a specific social or "
        "economic situation.",
        json_schema_extra=_q(
            "Does it exploit vulnerabilities due to age, disability or social or "
            "economic situation?"
        ),
    )
    materially_distorts_behaviour: bool | None = Field(
        None,
        description="Its objective or effect is to materially distort people's behaviour by "
        "impairing informed decisions.",
    )
    significant_harm_likely: bool | None = Field(
        None,
        description="It causes, or is reasonably likely to cause, significant harm.",
    )
    social_score_detrimental: bool | None = Field(
        None,
        description="A social score it produces leads to detrimental treatment in unrelated "
        "contexts or out of proportion to the behaviour.",
    )
    crime_prediction_profiling_only: bool | None = Field(
        None,
        description="It predicts criminal offending based solely on profiling or personality "
        "traits.",
    )
    supports_fact_based_human_assessment: bool | None = Field(
        None,
        description="It only supports a human assessment already based on objective, verifiable "
        "facts linked to criminal activity.",
    )
    untargeted_face_scraping: bool | None = Field(
        None,
        description="It builds or expands facial-recognition databases by untargeted scraping of "
        "images from the internet or CCTV.",
        json_schema_extra=_q(
            "Does it build face databases by untargeted scraping of the internet or CCTV footage?"
        ),
    )
    lawful_dataset_labelling: bool | None = Field(
        None,
        description="Biometric categorisation only labels or filters lawfully acquired biometric "
        "datasets.",
    )
    rbi_exception: (
        list[Literal["victim_search", "imminent_threat", "serious_crime_suspect"]] | None
    ) = Field(
        None,
        description="The narrow law-enforcement objectives for which real-time remote biometric "
        "identification is used ([] if none).",
    )
    rbi_authorised: bool | None = Field(
        None,
        description="Each use has prior judicial or independent authorisation under a national "
        "law that permits it.",
    )
    intimate_imagery: Literal["intended", "foreseeable", "safeguarded", "no"] | None = Field(
        None,
        description="Whether it can generate realistic intimate or sexually explicit imagery of "
        "identifiable people without consent: as its purpose, foreseeably without adequate "
        "safeguards, only with adequate safeguards, or not at all.",
        json_schema_extra=_q(
            "Could it generate sexual imagery of real, identifiable people without their consent?"
        ),
    )
    csam: Literal["intended", "foreseeable", "safeguarded", "no"] | None = Field(
        None,
        description="Whether it can generate child sexual abuse material: as its purpose, "
        "foreseeably without adequate safeguards, only with adequate safeguards, or not at all.",
    )
    deployer_generates_intimate_imagery: bool | None = Field(
        None,
        description="Your organisation uses the system to generate intimate or sexual imagery of "
        "real people without their consent, or child sexual abuse material.",
        json_schema_extra=_q(
            "Does your organisation use it to generate non-consensual intimate imagery or CSAM?"
        ),
    )


class Decisions(Group):
    subjects: list[Person] | None = Field(
        None,
        description="Whose data the system reads or whom its outputs are about: employees "
        "(incl. trainees and people on probation), job_candidates, self_employed (freelancers, "
        "platform workers), students (incl. applicants to a school), children (under 18), "
        "customers, patients, public (passers-by, residents, users of a public space), "
        "benefit_claimants, suspects_or_offenders, travellers_or_migrants, users (the people "
        "using the system themselves), organisations (companies or other legal persons only).",
        json_schema_extra=_q(
            "Whose data does it read, or whom are its outputs about (employees, job_candidates, "
            "customers, students, public, organisations, ...)?",
            examples=[["job_candidates"], ["customers"]],
        ),
    )
    stage: list[Stage] | None = Field(
        None,
        description="Where its output enters decisions about people: preparatory (gathers, "
        "sorts or translates information before a person assesses it), screening (filters "
        "people out or decides who advances), recommendation (suggests an outcome a person "
        "then decides), final_decision (its output is the decision), after_decision_review "
        "(checks decisions people already made, e.g. for inconsistencies).",
        json_schema_extra=_q(
            "Where does its output enter decisions (preparatory, screening, recommendation, "
            "final_decision, after_decision_review)?",
            examples=[["screening"], ["preparatory"]],
        ),
    )
    outputs_only_to_subject: bool | None = Field(
        None,
        description="Its results go only to the person they are about (e.g. personal coaching "
        "or self-training) and are not shared with an employer, teacher or anyone who decides "
        "about that person.",
    )
    availability_or_payment_only: bool | None = Field(
        None,
        description="Its decisions rest only on availability (first come, first served) or on "
        "successful payment, not on anything about the person.",
    )
    unrelated_context_data: bool | None = Field(
        None,
        description="It scores or treats people using data gathered in unrelated contexts "
        "(e.g. social-media activity or shopping data to price life insurance or decide "
        "benefits).",
    )
    about_people: bool | None = Field(
        None,
        description="It makes, or assists in making, decisions about natural persons.",
        json_schema_extra=_q("Does it make or help make decisions about individual people?"),
    )
    consequential_domains: list[Domain] | None = Field(
        None,
        description="Domains in which its decisions have legal or similarly significant effects "
        "on people ([] if none).",
        json_schema_extra=_q(
            "In which domains do its decisions significantly affect people "
            "(employment, credit, housing, ...; none)?"
        ),
    )
    output_role: Literal["sole", "principal", "substantial_factor", "assistive", "none"] | None = (
        Field(
            None,
            description="How much its output weighs in the decision: sole basis, principal "
            "factor, substantial factor, minor assistance, none.",
            json_schema_extra=_q("How much does its output weigh in decisions about people?"),
        )
    )
    human_review: bool | None = Field(
        None,
        description="A competent person who understands the output and may change the outcome "
        "reviews it before a decision takes effect (not a rubber stamp).",
    )
    profiling: bool | None = Field(
        None,
        description="It profiles natural persons: automated processing of personal data to "
        "evaluate or predict aspects of their work, economic situation, health, preferences, "
        "interests, reliability, behaviour, location or movements.",
        json_schema_extra=_q(
            "Does it profile people (evaluate or predict personal aspects from "
            "their personal data)?"
        ),
    )
    aia_impact_level: int | None = Field(
        None,
        ge=1,
        le=4,
        description="Impact level (1 little to 4 very high) found by an algorithmic impact "
        "assessment of the decision system (e.g. Canada's AIA).",
        json_schema_extra=_q(
            "What impact level (1-4) did the algorithmic impact assessment give the system?"
        ),
    )
    substantially_assists: bool | None = Field(
        None,
        description="Its output substantially assists or replaces discretionary human decisions "
        "(sole factor, weighted more than others, or overrules human conclusions).",
    )
    data_under_glba: bool | None = Field(
        None,
        description="The personal information it uses is collected or processed under the US "
        "Gramm-Leach-Bliley Act (GLBA): data a bank, lender or other financial institution "
        "obtains from consumers applying for or using a consumer financial product or service.",
        json_schema_extra=_q(
            "Is the personal information it uses collected or processed under the "
            "Gramm-Leach-Bliley Act (consumer financial-product data)?"
        ),
    )
    adm_grounds: (
        list[
            Literal[
                "explicit_consent",
                "necessary_for_contract",
                "authorised_by_law",
                "substantial_public_interest",
            ]
        ]
        | None
    ) = Field(
        None,
        description="Grounds on which its fully automated decisions about people rest ([] if "
        "none): explicit_consent (each person gave explicit consent to it), "
        "necessary_for_contract (needed to enter into or perform a contract with the person, "
        "e.g. an instant online loan decision), authorised_by_law (a law requires or "
        "authorises the automated decision), substantial_public_interest (a legal "
        "substantial-public-interest condition for sensitive data applies, e.g. fraud "
        "prevention under UK GDPR Art 9(2)(g)).",
        json_schema_extra=_q(
            "On what grounds are its fully automated decisions about people made "
            "(explicit_consent, necessary_for_contract, authorised_by_law, "
            "substantial_public_interest; none)?",
            examples=[["necessary_for_contract"], ["explicit_consent"]],
        ),
    )


class Context(Group):
    settings: list[Setting] | None = Field(
        None,
        description="Settings in which it is used ([] if none of these).",
        json_schema_extra=_q(
            "In which settings is it used (workplace, education, publicly accessible spaces, ...)?"
        ),
    )
    exclusive_purpose: (
        Literal["military_defence_security", "scientific_research", "personal", "none"] | None
    ) = Field(
        None,
        description="Whether it is used exclusively for military, defence or national-security "
        "purposes, solely for scientific research, or by individuals for purely personal "
        "activity ('none' otherwise).",
        json_schema_extra=_q(
            "Is it used exclusively for military/defence/national security, "
            "solely for scientific research, or purely personal use (or none "
            "of these)?"
        ),
    )
    medical_or_safety_purpose: bool | None = Field(
        None, description="Intended for medical or safety reasons."
    )
    crime_fighting_authorised: bool | None = Field(
        None,
        description="Authorised by law to detect, prevent, investigate or prosecute criminal "
        "offences.",
    )
    public_crime_reporting: bool | None = Field(
        None,
        description="Members of the public can use the system to report a criminal offence.",
        json_schema_extra=_q("Can members of the public use the system to report a crime?"),
    )
    international_cooperation: bool | None = Field(
        None,
        description="Used by a third-country authority or international organisation under "
        "law-enforcement or judicial cooperation with the EU, with adequate safeguards.",
    )
    deployer_controls_input: bool | None = Field(
        None, description="The deployer controls the input data."
    )
    two_person_check_disproportionate: bool | None = Field(
        None,
        description="For a law-enforcement, migration, border or asylum use: EU or national law "
        "considers separate verification of each biometric identification by two people "
        "disproportionate.",
    )
    federal_agency: bool | None = Field(
        None, description="Used by a national (federal) government agency."
    )
    hosts_user_content: bool | None = Field(
        None,
        description="The service lets users publish, upload or share content with other people "
        "(social media, video or content platform, forum).",
        json_schema_extra=_q(
            "Does the service let users publish or share content with other "
            "people (a social-media or content platform)?"
        ),
    )
    offered_to_public: bool | None = Field(
        None,
        description="The system or service is offered to the general public, not only used "
        "internally or for research.",
        json_schema_extra=_q(
            "Is the service offered to the general public (not only used "
            "internally or for research)?"
        ),
    )
    public_opinion_capacity: bool | None = Field(
        None,
        description="The service can shape public opinion or mobilise people: it is open to the "
        "public and lets information spread widely (forums, social media, live streaming, "
        "public chat, public-facing content generation).",
        json_schema_extra=_q(
            "Is the service open to the public in a way that can shape public "
            "opinion or mobilise people (forums, social media, live streaming, "
            "public chatbots)?"
        ),
    )
    sales_or_vote_influence: bool | None = Field(
        None,
        description="It talks with people to get them to buy or sell goods or services, or to "
        "sway how they vote in an election (e.g. a sales or shopping assistant, a marketing "
        "bot, a political campaign bot).",
        json_schema_extra=_q(
            "Does it talk with people to get them to buy or sell something, or to sway how "
            "they vote?"
        ),
    )


class ProductSafety(Group):
    legislation: list[ProductLegislation] | None = Field(
        None,
        description="Product-safety legislation covering the product the system is part of, or "
        "that the system itself is ([] if none).",
        json_schema_extra=_q(
            "Is the system part of (or itself) a regulated product, e.g. a "
            "medical device, machinery, toy, vehicle (list them; none)?"
        ),
    )
    safety_component: bool | None = Field(
        None,
        description="It performs a safety function for the product, or its failure endangers "
        "health, safety or property.",
        json_schema_extra=_q("Is it a safety component of the product (or the product itself)?"),
    )
    is_product: bool | None = Field(None, description="The AI system is itself the product.")
    only_non_safety_aspects: bool | None = Field(
        None,
        description="It is used solely for non-safety aspects (user assistance, performance, "
        "efficiency, automation, convenience, quality control).",
    )
    failure_endangers_safety: bool | None = Field(
        None, description="Its failure or malfunction would endanger health and safety."
    )
    third_party_assessment: bool | None = Field(
        None,
        description="The product must undergo third-party conformity assessment under that "
        "legislation.",
        json_schema_extra=_q("Must the product undergo third-party conformity assessment?"),
    )
    harmonised_standards_full: bool | None = Field(
        None,
        description="The system applies, in full, harmonised standards or common "
        "specifications (cited in the EU Official Journal) that cover all the high-risk "
        "requirements.",
        json_schema_extra=_q(
            "Do you apply in full harmonised standards or common "
            "specifications covering all the requirements?"
        ),
    )
    third_party_only_non_safety: bool | None = Field(
        None,
        description="Third-party assessment is required only for non-health/safety risks "
        "(e.g. radio spectrum, EMC).",
    )


class Derogation(Group):
    """Facts for an Annex III derogation claim (EU AI Act Art 6(3)).

    They matter only for uses listed in Annex III (hiring, credit, education, ...). Answer them
    for tools that only help around such a decision without shaping it.
    """

    no_significant_risk: bool | None = Field(
        None,
        description="It poses no significant risk of harm to health, safety or fundamental "
        "rights, including because it does not materially influence the outcome of decisions "
        "about people (e.g. it only files, translates or de-duplicates documents).",
        json_schema_extra=_q(
            "Do you claim it poses no significant risk and does not materially influence decisions?"
        ),
    )
    narrow_procedural_task: bool | None = Field(
        None,
        description="It performs a narrow procedural task, e.g. turns unstructured documents "
        "into structured data, sorts incoming documents into categories, or detects duplicates "
        "among applications.",
    )
    improves_human_activity: bool | None = Field(
        None,
        description="It improves the result of an activity a person already completed, e.g. "
        "polishes the wording of a letter someone wrote without changing its substance.",
    )
    detects_patterns: bool | None = Field(
        None,
        description="It detects decision patterns or deviations from earlier patterns (e.g. "
        "flags grades inconsistent with a teacher's usual marking) without replacing or "
        "influencing the completed human assessment without proper human review.",
    )
    preparatory_task: bool | None = Field(
        None,
        description="It performs a preparatory task to an assessment, e.g. indexes, searches, "
        "transcribes or translates the documents a person will assess.",
    )


class Control(Group):
    id: str = Field(description="Control id from the control catalogue, e.g. bias-audit.")
    status: Literal["implemented", "in_progress", "planned", "not_applicable"] = "implemented"
    evidence: list[str] = Field(default_factory=list, description="Links or paths to evidence.")
    date: Date | None = Field(None, description="When the control was last performed.")
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _known_control(cls, value: str) -> str:
        """A misspelt control would silently count for nothing, so unknown ids are errors."""
        table = vocabulary.controls()
        if value not in table:
            import difflib

            close = difflib.get_close_matches(value, list(table), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(
                f"unknown control {value!r}; {hint}(run `accord vocab controls` for the list)"
            )
        return value


class Profile(Group):
    """One AI system, described once for every jurisdiction."""

    id: str = Field(
        description="Stable identifier, e.g. cv-screener.", pattern=r"^[a-z0-9][a-z0-9._-]*$"
    )
    name: str = Field(description="Human-readable name.")
    description: str | None = None
    version: str | None = None
    organisation: Organisation = Field(default_factory=Organisation)
    roles: list[Role] | None = Field(
        None,
        description="Roles your organisation holds towards the system.",
        json_schema_extra=_q(
            "Which roles does your organisation hold (provider, deployer, "
            "importer, distributor, authorised_representative, "
            "product_manufacturer)?"
        ),
    )
    markets: list[str] | None = Field(
        None,
        description="Where the system is placed on the market, put into service or used, or "
        "where its output is used (jurisdiction codes, e.g. EU, DE, US-NY-NYC, KR).",
        json_schema_extra=_q(
            "In which markets is it offered or used, or its output used (e.g. EU, US-NY-NYC, KR)?"
        ),
    )
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    technique: Technique = Field(default_factory=Technique)
    practices: Practices = Field(default_factory=Practices)
    uses: list[str] | None = Field(
        None,
        description="Intended uses, as codes from the use-case taxonomy "
        "(e.g. employment.recruitment.screening).",
        json_schema_extra=_q("What is the system used for (use-case codes)?"),
    )
    decisions: Decisions = Field(default_factory=Decisions)
    context: Context = Field(default_factory=Context)
    product_safety: ProductSafety = Field(default_factory=ProductSafety)
    derogation: Derogation = Field(default_factory=Derogation)
    controls: list[Control] = Field(default_factory=list)

    @field_validator("markets")
    @classmethod
    def _known_markets(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        out = []
        for code in value:
            canon = vocabulary.canonical_jurisdiction(str(code))
            if canon is None:
                raise ValueError(
                    f"unknown jurisdiction code {code!r}; use codes like EU, DE, US-CA, "
                    f"US-NY-NYC, KR (run `accord vocab jurisdictions` for the list)"
                )
            out.append(canon)
        return out

    @field_validator("uses")
    @classmethod
    def _known_uses(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        table = vocabulary.use_cases()
        for code in value:
            if code not in table:
                import difflib

                close = difflib.get_close_matches(code, list(table), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(
                    f"unknown use-case code {code!r}; {hint}e.g. "
                    "employment.recruitment.screening (run `accord vocab use-cases`)"
                )
        return value
