"""Demo content: the texts `flask consult demo` loads.

Pure data, with no Flask and no database, so that the loader, the tests and a reader
can use it alike. It holds the demo's first two consultations:

1. ``AI_REGULATION``: an open consultation on a paper comparing nine regulatory
   approaches for artificial intelligence, with its sections in
   ``AI_REGULATION_SECTIONS``;
2. ``OUTPUT_DOCUMENT``: the IGF 2024 Parliamentary Track output document, whose
   sections come from importing the seed text (``seeds/000_*.txt``), not from here.

Titles and summaries are given in Arabic, English, French and Spanish. The nine
sections are given in English and French only, on purpose: Arabic and Spanish
readers see the English text marked as the default language, which is how the demo
shows the fallback for a missing translation.

The texts summarise the approaches in the project's own words; they quote no
published paper. Bodies and summaries are Markdown (emphasis and lists only; no
HTML, no links) and go through ``consult.core.text.render_markdown``. French texts
use a no-break space (U+00A0) before ``?``, ``:``, ``;`` and ``!``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AI_REGULATION",
    "AI_REGULATION_SECTIONS",
    "OUTPUT_DOCUMENT",
    "DemoConsultation",
    "DemoSection",
]


@dataclass(frozen=True)
class DemoSection:
    """One section of a demo paper."""

    key: str  # stable key, e.g. "1"
    heading: dict[str, str]  # locale -> heading
    body: dict[str, str]  # locale -> Markdown body


@dataclass(frozen=True)
class DemoConsultation:
    """A demo consultation's metadata; the loader sets dates relative to load time."""

    slug: str
    title: dict[str, str]  # "ar", "en", "es", "fr" -> title
    summary: dict[str, str]  # "ar", "en", "es", "fr" -> Markdown summary (2-4 sentences)
    weeks_open: int  # the deadline is this many weeks after the demo is loaded


# 1. A paper comparing nine regulatory approaches for AI, one section per approach.
#    Titles and summaries in all four languages; sections in English and French only.
AI_REGULATION = DemoConsultation(
    slug="ai-regulatory-approaches",
    title={
        "ar": "مشاورة مفتوحة بشأن النُّهُج التنظيمية للذكاء الاصطناعي",
        "en": "Open consultation on regulatory approaches for AI",
        "es": "Consulta abierta sobre los enfoques regulatorios de la inteligencia artificial",
        "fr": (
            "Consultation ouverte sur les approches réglementaires de l’intelligence artificielle"
        ),
    },
    summary={
        "ar": (
            "تقارن هذه الورقة بين تسعة نُهُج لتنظيم الذكاء الاصطناعي، بدءًا بالنُّهُج القائمة على "
            "المبادئ أو المعايير، وانتهاءً بالنُّهُج القائمة على المخاطر أو الحقوق أو المسؤولية "
            "القانونية. ويُعرض كل نهج في قسم مستقل يتضمن مثالًا على كيفية استخدامه من جانب "
            "البرلمانات، وأبرز مزاياه وحدوده. ويُدعى البرلمانيون والخبراء القانونيون وعامة الجمهور "
            "إلى إبداء تعليقاتهم على الورقة قسمًا قسمًا، بلغتهم، قبل الموعد النهائي."
        ),
        "en": (
            "This paper compares nine regulatory approaches for artificial intelligence, from "
            "principles-based and standards-based regulation to risk-based, rights-based and "
            "liability regimes. Each approach has its own section, with an example of how a "
            "legislature might use it and its main strengths and limitations. Parliamentarians, "
            "legal experts and members of the public are invited to comment section by section, in "
            "their own language, before the deadline."
        ),
        "es": (
            "Este documento compara nueve enfoques para la regulación de la inteligencia "
            "artificial, desde los basados en principios o en normas técnicas hasta los basados en "
            "el riesgo, en los derechos o en la responsabilidad civil. Cada enfoque se presenta en "
            "una sección propia, con un ejemplo de cómo podría aplicarlo un parlamento y sus "
            "principales ventajas y limitaciones. Se invita a los parlamentarios, a los expertos "
            "jurídicos y al público en general a formular observaciones sección por sección, en su "
            "propio idioma, antes de la fecha límite."
        ),
        "fr": (
            "Le présent document compare neuf approches de la réglementation de l’intelligence "
            "artificielle, des approches fondées sur des principes ou sur des normes aux régimes "
            "fondés sur les risques, sur les droits ou sur la responsabilité civile. Chaque "
            "approche fait l’objet d’une section distincte, qui donne un exemple de la manière "
            "dont un parlement pourrait y recourir et en présente les principaux atouts et "
            "limites. Les parlementaires, les juristes et le public sont invités à formuler leurs "
            "observations section par section, dans leur propre langue, avant la date limite."
        ),
    },
    weeks_open=6,
)

AI_REGULATION_SECTIONS: tuple[DemoSection, ...] = (
    DemoSection(
        key="1",
        heading={
            "en": "Principles-based approach",
            "fr": "Approche fondée sur des principes",
        },
        body={
            "en": (
                "A principles-based approach sets out broad principles, such as fairness, "
                "transparency, safety and accountability, that those who develop and use AI "
                "are expected to respect. How to meet them is left to the organisations "
                "concerned, to regulators and to later guidance. A legislature might, for "
                "example, write a short list of such principles into law and require public "
                "bodies to show how their AI systems comply.\n\n"
                "The approach adapts well to fast-changing technology and can build consensus "
                "across sectors. Its main limitation is that broad principles are hard to enforce "
                "and may be read differently by different actors. *Which principles, if any, "
                "should be binding in law rather than left to guidance?*"
            ),
            "fr": (
                "Une approche fondée sur des principes énonce des principes généraux, tels que "
                "l’équité, la transparence, la sécurité et la responsabilité, que les "
                "personnes qui conçoivent et utilisent l’IA sont censées respecter. Les "
                "modalités de leur mise en œuvre sont laissées aux organisations concernées, "
                "aux autorités de régulation et à des orientations ultérieures. Un parlement "
                "pourrait, par exemple, inscrire une courte liste de ces principes dans la loi "
                "et exiger des organismes publics qu’ils démontrent la conformité de leurs "
                "systèmes d’IA.\n\n"
                "Cette approche s’adapte bien à l’évolution rapide des technologies et favorise le "
                "consensus entre secteurs. Sa principale limite tient à ce que des principes "
                "généraux sont difficiles à faire respecter et peuvent être interprétés "
                "différemment selon les acteurs. *Quels principes devraient, le cas échéant, avoir "
                "force obligatoire plutôt que relever de simples orientations ?*"
            ),
        },
    ),
    DemoSection(
        key="2",
        heading={
            "en": "Standards-based approach",
            "fr": "Approche fondée sur les normes",
        },
        body={
            "en": (
                "A standards-based approach relies on technical standards, developed by "
                "standards bodies, industry or international organisations, to define how AI "
                "systems should be designed, tested and documented. The law refers to those "
                "standards instead of spelling out technical requirements itself. A "
                "legislature might, for instance, provide that systems meeting a recognised "
                "standard are presumed to comply with a legal obligation.\n\n"
                "Standards bring technical precision and help products work across borders. Yet "
                "they can take years to develop, and the bodies that write them do not always "
                "include civil society or experts from developing countries. *How could "
                "parliaments make sure that standard-setting is open and accountable?*"
            ),
            "fr": (
                "Une approche fondée sur les normes s’appuie sur des normes techniques, "
                "élaborées par des organismes de normalisation, par l’industrie ou par des "
                "organisations internationales, pour définir la manière dont les systèmes d’IA "
                "doivent être conçus, testés et documentés. La loi renvoie à ces normes au "
                "lieu de fixer elle-même les exigences techniques. Le législateur pourrait, "
                "par exemple, prévoir que les systèmes conformes à une norme reconnue sont "
                "présumés satisfaire à une obligation légale.\n\n"
                "Les normes apportent de la précision technique et facilitent la circulation des "
                "produits par-delà les frontières. Leur élaboration peut toutefois prendre des "
                "années, et les organismes qui les rédigent n’associent pas toujours la société "
                "civile ni les experts des pays en développement. *Comment les parlements "
                "pourraient-ils garantir que l’élaboration des normes soit ouverte et soumise à "
                "l’obligation de rendre des comptes ?*"
            ),
        },
    ),
    DemoSection(
        key="3",
        heading={
            "en": "Agile and experimentalist approach",
            "fr": "Approche agile et expérimentale",
        },
        body={
            "en": (
                "An agile, experimentalist approach lets rules be tested and adjusted as "
                "experience grows. Its best-known tool is the *regulatory sandbox*: a "
                "controlled setting in which a company may trial an AI product with real users "
                "for a limited time, under a regulator’s supervision and with some rules "
                "relaxed. A legislature might authorise sandboxes by law, set their conditions "
                "and require a public report on what was learned.\n\n"
                "Sandboxes help regulators understand new technology early and can shorten the "
                "path from evidence to rules. They demand skilled staff, however, and may appear "
                "to favour the firms admitted to them. *What safeguards should protect people "
                "whose data or services are involved in a sandbox?*"
            ),
            "fr": (
                "Une approche agile et expérimentale permet de mettre les règles à l’essai et "
                "de les ajuster à mesure que l’expérience s’accumule. Son outil le plus connu "
                "est le *bac à sable réglementaire*, un cadre contrôlé dans lequel une "
                "entreprise peut tester un produit d’IA auprès d’utilisateurs réels pendant "
                "une durée limitée, sous le contrôle d’un régulateur et avec certaines règles "
                "assouplies. Le législateur pourrait autoriser de tels dispositifs par la loi, "
                "en fixer les conditions et exiger un rapport public sur les enseignements "
                "tirés.\n\n"
                "Les bacs à sable aident les régulateurs à comprendre tôt les nouvelles "
                "technologies et peuvent raccourcir le chemin qui mène des constats aux règles. "
                "Ils exigent toutefois un personnel qualifié et peuvent sembler avantager les "
                "entreprises qui y sont admises. *Quelles garanties devraient protéger les "
                "personnes dont les données ou les services sont concernés par un bac à sable ?*"
            ),
        },
    ),
    DemoSection(
        key="4",
        heading={
            "en": "Facilitating and enabling approach",
            "fr": "Approche de facilitation et de soutien",
        },
        body={
            "en": (
                "A facilitating and enabling approach uses public policy to create the "
                "conditions for trustworthy AI rather than to restrict it. Typical measures "
                "include funding research and skills, opening up public data, investing in "
                "computing capacity, and supporting small firms and tools in local languages. "
                "A legislature might, for example, adopt a national AI strategy with a "
                "dedicated budget and ask the government to report on it every year.\n\n"
                "The approach can help countries shape AI to their own needs and reduce dependence "
                "on a few foreign providers. On its own, however, it does little to prevent harm, "
                "so it is usually combined with other approaches. *Which enabling measures matter "
                "most in your country or region?*"
            ),
            "fr": (
                "Une approche de facilitation et de soutien mobilise les politiques publiques "
                "pour réunir les conditions d’une IA digne de confiance, plutôt que pour la "
                "restreindre. Elle passe généralement par le financement de la recherche et "
                "des compétences, l’ouverture des données publiques, l’investissement dans les "
                "capacités de calcul et le soutien aux petites entreprises et aux outils en "
                "langues locales. Un parlement pourrait, par exemple, adopter une stratégie "
                "nationale en matière d’IA dotée d’un budget propre et demander au "
                "gouvernement d’en rendre compte chaque année.\n\n"
                "Cette approche peut aider les pays à adapter l’IA à leurs propres besoins et à "
                "réduire leur dépendance à l’égard d’un petit nombre de fournisseurs étrangers. À "
                "elle seule, elle ne suffit toutefois guère à prévenir les préjudices ; elle est "
                "donc généralement associée à d’autres approches. *Quelles mesures de soutien sont "
                "les plus importantes dans votre pays ou votre région ?*"
            ),
        },
    ),
    DemoSection(
        key="5",
        heading={
            "en": "Adapting existing laws",
            "fr": "Adaptation de la législation existante",
        },
        body={
            "en": (
                "Rather than writing a new AI law, a legislature can review the laws it "
                "already has (on data protection, consumer protection, non-discrimination, "
                "competition, employment or intellectual property) and amend them where AI "
                "creates gaps. It might, for example, update electoral law to cover "
                "AI-generated political advertising, or extend anti-discrimination law to "
                "automated decisions on credit and hiring.\n\n"
                "The approach builds on familiar institutions and case law and can be quicker than "
                "drafting a comprehensive statute. Its limitation is that piecemeal amendments may "
                "leave gaps or overlaps, with no single authority overseeing AI as a whole. *Which "
                "existing laws in your jurisdiction most need updating for AI?*"
            ),
            "fr": (
                "Plutôt que d’adopter une nouvelle loi sur l’IA, le législateur peut "
                "réexaminer les textes en vigueur (protection des données, protection des "
                "consommateurs, non-discrimination, concurrence, droit du travail ou propriété "
                "intellectuelle) et les modifier là où l’IA crée des lacunes. Il pourrait, par "
                "exemple, actualiser le droit électoral pour couvrir la publicité politique "
                "générée par l’IA, ou étendre la législation contre la discrimination aux "
                "décisions automatisées en matière de crédit et de recrutement.\n\n"
                "Cette approche s’appuie sur des institutions et une jurisprudence bien établies "
                "et peut être plus rapide que l’élaboration d’une loi globale. Sa limite tient à "
                "ce que des modifications ponctuelles peuvent laisser subsister des lacunes ou des "
                "chevauchements, sans qu’aucune autorité ait une vue d’ensemble de l’IA. *Quelles "
                "lois de votre pays faudrait-il adapter en priorité à l’IA ?*"
            ),
        },
    ),
    DemoSection(
        key="6",
        heading={
            "en": "Access to information and transparency mandates",
            "fr": "Accès à l’information et obligations de transparence",
        },
        body={
            "en": (
                "This approach requires those who develop or deploy AI to disclose "
                "information: that people are dealing with an AI system, how a system works "
                "and was trained, or how public bodies use it. A legislature might, for "
                "example, create a public register of algorithms used by government, require "
                "labels on AI-generated content, or extend freedom-of-information law to "
                "automated decisions.\n\n"
                "Transparency supports scrutiny by parliaments, journalists, researchers and the "
                "people affected, and is relatively easy to introduce. But disclosure alone does "
                "not prevent harm, and technical explanations may be of little use to the public. "
                "*What information about AI systems should always be made public?*"
            ),
            "fr": (
                "Cette approche impose à ceux qui conçoivent ou déploient l’IA de communiquer "
                "certaines informations : le fait qu’une personne interagit avec un système "
                "d’IA, la manière dont un système fonctionne et a été entraîné, ou encore "
                "l’usage qu’en font les organismes publics. Un parlement pourrait, par "
                "exemple, créer un registre public des algorithmes utilisés par "
                "l’administration, exiger l’étiquetage des contenus générés par l’IA ou "
                "étendre la législation sur l’accès à l’information aux décisions automatisées.\n\n"
                "La transparence facilite le contrôle exercé par les parlements, les journalistes, "
                "les chercheurs et les personnes concernées, et elle est relativement simple à "
                "mettre en place. La divulgation ne suffit cependant pas à prévenir les "
                "préjudices, et des explications techniques peuvent être de peu d’utilité pour le "
                "public. *Quelles informations sur les systèmes d’IA devraient toujours être "
                "rendues publiques ?*"
            ),
        },
    ),
    DemoSection(
        key="7",
        heading={
            "en": "Risk-based approach",
            "fr": "Approche fondée sur les risques",
        },
        body={
            "en": (
                "A risk-based approach sorts uses of AI into tiers according to the harm they "
                "could cause and sets obligations in proportion: few or none for low-risk "
                "uses; stricter duties, such as testing, documentation and human oversight, "
                "for high-risk ones; and bans for uses judged unacceptable. A legislature "
                "might, for example, list high-risk areas such as recruitment, education, "
                "credit and policing in an annex that can be updated.\n\n"
                "The approach directs regulatory effort where it matters most and spares low-risk "
                "innovation. Deciding what counts as high risk is difficult, however, and harms "
                "outside the listed categories may be missed. *Which uses of AI should be treated "
                "as high risk, or prohibited?*"
            ),
            "fr": (
                "Une approche fondée sur les risques classe les utilisations de l’IA en "
                "catégories selon le préjudice qu’elles pourraient causer et fixe des "
                "obligations proportionnées : peu ou pas d’obligations pour les usages à "
                "faible risque, des exigences plus strictes (essais, documentation, contrôle "
                "humain) pour les usages à haut risque, et l’interdiction des usages jugés "
                "inacceptables. Le législateur pourrait, par exemple, énumérer dans une annexe "
                "révisable des domaines à haut risque tels que le recrutement, l’éducation, le "
                "crédit et le maintien de l’ordre.\n\n"
                "Cette approche concentre l’effort réglementaire là où il est le plus nécessaire "
                "et épargne l’innovation à faible risque. Il est toutefois difficile de déterminer "
                "ce qui relève du haut risque, et des préjudices non prévus par les catégories "
                "établies peuvent échapper à la réglementation. *Quelles utilisations de l’IA "
                "devraient être considérées comme à haut risque, ou interdites ?*"
            ),
        },
    ),
    DemoSection(
        key="8",
        heading={
            "en": "Rights-based approach",
            "fr": "Approche fondée sur les droits",
        },
        body={
            "en": (
                "A rights-based approach starts from international human rights law and the "
                "rights already protected by a country’s constitution. It asks how AI affects "
                "rights such as privacy, equality, freedom of expression and due process, and "
                "gives people practical means to defend them. A legislature might, for "
                "example, require a human rights impact assessment before a public body uses "
                "AI, and give individuals the right to an explanation and to challenge an "
                "automated decision.\n\n"
                "The approach rests on commitments most States have already made and keeps the "
                "focus on people rather than technology. However, rights are framed broadly, and "
                "turning them into precise duties for developers can take time and litigation. "
                "*How should people be able to seek redress when AI affects their rights?*"
            ),
            "fr": (
                "Une approche fondée sur les droits part du droit international des droits de "
                "l’homme et des droits déjà garantis par la constitution d’un pays. Elle "
                "examine l’incidence de l’IA sur des droits tels que la vie privée, l’égalité, "
                "la liberté d’expression et les garanties procédurales, et donne aux personnes "
                "des moyens concrets de les faire valoir. Un parlement pourrait, par exemple, "
                "imposer une étude d’impact sur les droits de l’homme avant tout recours à "
                "l’IA par un organisme public, et reconnaître à chacun le droit d’obtenir une "
                "explication et de contester une décision automatisée.\n\n"
                "Cette approche repose sur des engagements déjà pris par la plupart des États et "
                "place les personnes, plutôt que la technologie, au centre. Mais les droits sont "
                "formulés en termes généraux, et les traduire en obligations précises pour les "
                "concepteurs peut demander du temps et des contentieux. *Comment les personnes "
                "devraient-elles pouvoir obtenir réparation lorsque l’IA porte atteinte à leurs "
                "droits ?*"
            ),
        },
    ),
    DemoSection(
        key="9",
        heading={
            "en": "Liability approach",
            "fr": "Approche fondée sur la responsabilité civile",
        },
        body={
            "en": (
                "A liability approach settles who must compensate people harmed by an AI "
                "system, and on what terms. Because AI systems can be opaque and involve many "
                "actors, victims may struggle to prove fault. A legislature might, for "
                "example, ease the burden of proof for claimants, make operators of certain "
                "high-risk systems liable without fault, or make clear that product liability "
                "rules apply to software.\n\n"
                "Clear liability rules give victims a remedy and a strong incentive to take care, "
                "without the State prescribing how. Yet they act only after harm has occurred, and "
                "uncertain rules may weigh heavily on smaller developers. *Who should bear "
                "responsibility when an AI system causes harm?*"
            ),
            "fr": (
                "Une approche fondée sur la responsabilité civile détermine qui doit "
                "indemniser les personnes lésées par un système d’IA, et à quelles conditions. "
                "Ces systèmes pouvant être opaques et impliquer de nombreux acteurs, la preuve "
                "d’une faute est souvent difficile pour les victimes. Le législateur pourrait, "
                "par exemple, alléger la charge de la preuve pour les demandeurs, instaurer "
                "une responsabilité sans faute pour les exploitants de certains systèmes à "
                "haut risque ou préciser que les règles relatives aux produits défectueux "
                "s’appliquent aux logiciels.\n\n"
                "Des règles de responsabilité claires offrent une voie de recours aux victimes et "
                "incitent fortement à la prudence, sans que l’État ait à prescrire la marche à "
                "suivre. Elles n’agissent toutefois qu’après la survenue du préjudice, et des "
                "règles incertaines peuvent peser lourdement sur les petits concepteurs. *Qui "
                "devrait être tenu responsable lorsqu’un système d’IA cause un préjudice ?*"
            ),
        },
    ),
)


# 2. The IGF 2024 Parliamentary Track output document. Its sections are not here:
#    the demo loader imports them from the seed text, as an editor would.
OUTPUT_DOCUMENT = DemoConsultation(
    slug="igf-2024-parliamentary-output",
    title={
        "ar": "الوثيقة الختامية للمسار البرلماني لمنتدى إدارة الإنترنت لعام 2024",
        "en": "IGF 2024 Parliamentary Track output document",
        "es": "Documento final de la vertiente parlamentaria del FGI 2024",
        "fr": "Document final du volet parlementaire du FGI 2024",
    },
    summary={
        "ar": (
            "هذه هي الوثيقة الختامية التي اعتمدها البرلمانيون المشاركون في المسار البرلماني للدورة "
            "التاسعة عشرة لمنتدى إدارة الإنترنت، المعقودة في الرياض في كانون الأول/ديسمبر 2024. "
            "وكل فقرة مرقّمة فيها مفتوحة للتعليق. وستسهم تعليقاتكم في إعداد نص العام المقبل."
        ),
        "en": (
            "This is the output document adopted by the parliamentarians who took part in the "
            "Parliamentary Track of the 19th Internet Governance Forum (IGF), held in Riyadh in "
            "December 2024. Each numbered paragraph is open for comment. Your feedback will help "
            "prepare next year’s text."
        ),
        "es": (
            "Este es el documento final aprobado por los parlamentarios que participaron en la "
            "vertiente parlamentaria del decimonoveno Foro para la Gobernanza de Internet (FGI), "
            "celebrado en Riad en diciembre de 2024. Cada párrafo numerado está abierto a "
            "observaciones. Sus aportaciones servirán para preparar el texto del próximo año."
        ),
        "fr": (
            "Le présent document final a été adopté par les parlementaires ayant pris part au "
            "volet parlementaire du dix-neuvième Forum sur la gouvernance de l’Internet (FGI), "
            "tenu à Riyad en décembre 2024. Chaque paragraphe numéroté peut faire l’objet "
            "d’observations. Vos contributions serviront à préparer le texte de l’année suivante."
        ),
    },
    weeks_open=8,
)
