"""Demo content: the two calls for input `flask consult demo` loads, as pure data.

3. ``THEMATIC_CALL``: the call for thematic input that shapes the 2025 Parliamentary
   Track (seed ``001_*.txt``: members of parliament are invited to answer it in
   Arabic, English, French and Spanish), with its questions in
   ``THEMATIC_CALL_QUESTIONS``; the themes come from the 2024 programme.
4. ``PROGRESS_REPORT``: the report on progress and obstacles that paragraphs 7 and
   8 of the IGF 2024 output document ask parliaments for, with its questions in
   ``PROGRESS_REPORT_QUESTIONS``.

Every title, summary, question, help text, option and scale label is given in all
four languages. Help texts and summaries are Markdown; French texts use a no-break
space (U+00A0) before ``?``, ``:``, ``;`` and ``!``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consult.demo.content import DemoConsultation
from consult.questionnaires.models import QuestionKind

__all__ = [
    "PROGRESS_REPORT",
    "PROGRESS_REPORT_QUESTIONS",
    "THEMATIC_CALL",
    "THEMATIC_CALL_QUESTIONS",
    "DemoQuestion",
]


@dataclass(frozen=True)
class DemoQuestion:
    """One question of a demo questionnaire; every mapping is locale -> text."""

    kind: QuestionKind
    text: dict[str, str]
    required: bool = False
    help: dict[str, str] = field(default_factory=dict)
    options: tuple[dict[str, str], ...] = ()
    max_choices: int | None = None
    scale_max: int | None = None
    scale_min_label: dict[str, str] = field(default_factory=dict)
    scale_max_label: dict[str, str] = field(default_factory=dict)


# 3. The call for thematic input, Parliamentary Track 2025.
THEMATIC_CALL = DemoConsultation(
    slug="parliamentary-track-2025-thematic-input",
    title={
        "ar": "دعوة إلى تقديم مساهمات مواضيعية، المسار البرلماني لعام 2025",
        "en": "Call for thematic input, Parliamentary Track 2025",
        "es": "Convocatoria de aportaciones temáticas, vertiente parlamentaria 2025",
        "fr": "Appel à contributions thématiques, volet parlementaire 2025",
    },
    summary={
        "ar": (
            "للمساهمة في إعداد المسار البرلماني لمنتدى إدارة الإنترنت لعام 2025، يُدعى أعضاء "
            "البرلمانات وموظفوها إلى بيان المواضيع المتعلقة بالسياسات الرقمية التي تحظى بالأولوية "
            "لدى برلماناتهم، وإلى إبداء رغبتهم في المشاركة في الاجتماعات الإقليمية والاجتماع "
            "السنوي. ويستغرق ملء الاستبيان نحو عشر دقائق، ويمكنكم حفظ مسودة والعودة إليها قبل "
            "الموعد النهائي."
        ),
        "en": (
            "To help shape the 2025 Parliamentary Track of the Internet Governance Forum, members "
            "of parliament and parliamentary staff are invited to tell us which digital-policy "
            "themes matter most to their parliament, and whether they would take part in the "
            "regional and annual meetings. The questionnaire takes about ten minutes; you can "
            "save a draft and come back to it before the deadline."
        ),
        "es": (
            "Para contribuir a la preparación de la vertiente parlamentaria 2025 del Foro para la "
            "Gobernanza de Internet, se invita a los parlamentarios y al personal parlamentario a "
            "indicar qué temas de política digital son prioritarios para su parlamento y si "
            "desean participar en las reuniones regionales y en la reunión anual. El cuestionario "
            "lleva unos diez minutos; puede guardar un borrador y volver a él antes de la fecha "
            "límite."
        ),
        "fr": (
            "Afin de contribuer à l’élaboration du volet parlementaire 2025 du Forum sur la "
            "gouvernance de l’Internet, les parlementaires et le personnel parlementaire sont "
            "invités à indiquer les thèmes de politique numérique qui importent le plus à leur "
            "parlement et à faire savoir s’ils souhaitent participer aux réunions régionales et "
            "à la réunion annuelle. Le questionnaire prend une dizaine de minutes\u00a0; vous "
            "pouvez enregistrer un brouillon et y revenir avant la date limite."
        ),
    },
    weeks_open=6,
)

# The themes of the 2024 programme (seed 001), as options of the first question.
THEMES: tuple[dict[str, str], ...] = (
    {
        "ar": "الذكاء الاصطناعي وتنظيمه",
        "en": "Artificial intelligence and its regulation",
        "es": "La inteligencia artificial y su regulación",
        "fr": "L’intelligence artificielle et sa réglementation",
    },
    {
        "ar": "الأضرار عبر الإنترنت والسلامة على الإنترنت",
        "en": "Online harms and safety online",
        "es": "Los daños en línea y la seguridad en línea",
        "fr": "Les préjudices en ligne et la sécurité en ligne",
    },
    {
        "ar": "الابتكار والتحول الرقميان الشاملان للجميع",
        "en": "Inclusive digital innovation and transformation",
        "es": "La innovación y la transformación digitales inclusivas",
        "fr": "L’innovation et la transformation numériques inclusives",
    },
    {
        "ar": "الميثاق الرقمي العالمي واستعراض القمة العالمية لمجتمع المعلومات",
        "en": "The Global Digital Compact and the WSIS review",
        "es": "El Pacto Digital Global y el examen de la CMSI",
        "fr": "Le Pacte numérique mondial et l’examen du SMSI",
    },
    {
        "ar": "حقوق الإنسان والحريات الأساسية على الإنترنت",
        "en": "Human rights and fundamental freedoms online",
        "es": "Los derechos humanos y las libertades fundamentales en línea",
        "fr": "Les droits de l’homme et les libertés fondamentales en ligne",
    },
    {
        "ar": "بناء القدرات البرلمانية في مجال السياسات الرقمية",
        "en": "Building parliamentary capacity on digital policy",
        "es": "El fortalecimiento de la capacidad parlamentaria en materia de política digital",
        "fr": "Le renforcement des capacités parlementaires en matière de politique numérique",
    },
    {
        "ar": "مشاركة الشباب في التحول الرقمي",
        "en": "Young people’s participation in the digital transformation",
        "es": "La participación de los jóvenes en la transformación digital",
        "fr": "La participation des jeunes à la transformation numérique",
    },
    {
        "ar": "التعاون بين البرلمانات عبر الحدود",
        "en": "Cooperation among parliaments across borders",
        "es": "La cooperación entre parlamentos más allá de las fronteras",
        "fr": "La coopération entre parlements par-delà les frontières",
    },
)

REGIONS: tuple[dict[str, str], ...] = (
    {"ar": "أفريقيا", "en": "Africa", "es": "África", "fr": "Afrique"},
    {"ar": "المنطقة العربية", "en": "Arab region", "es": "Región árabe", "fr": "Région arabe"},
    {
        "ar": "آسيا والمحيط الهادئ",
        "en": "Asia and the Pacific",
        "es": "Asia y el Pacífico",
        "fr": "Asie et Pacifique",
    },
    {"ar": "آسيا الوسطى", "en": "Central Asia", "es": "Asia Central", "fr": "Asie centrale"},
    {"ar": "أوروبا", "en": "Europe", "es": "Europa", "fr": "Europe"},
    {
        "ar": "أمريكا اللاتينية ومنطقة البحر الكاريبي",
        "en": "Latin America and the Caribbean",
        "es": "América Latina y el Caribe",
        "fr": "Amérique latine et Caraïbes",
    },
    {
        "ar": "أمريكا الشمالية",
        "en": "North America",
        "es": "América del Norte",
        "fr": "Amérique du Nord",
    },
)

THEMATIC_CALL_QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        QuestionKind.MULTIPLE_CHOICE,
        required=True,
        max_choices=3,
        text={
            "ar": "ما المواضيع التي ينبغي أن يعطيها المسار البرلماني لعام 2025 الأولوية؟",
            "en": "Which themes should the 2025 Parliamentary Track give priority to?",
            "es": "¿A qué temas debería dar prioridad la vertiente parlamentaria 2025?",
            "fr": (
                "À quels thèmes le volet parlementaire 2025 devrait-il accorder la priorité\u00a0?"
            ),
        },
        help={
            "ar": "اختر ثلاثة مواضيع كحد أقصى.",
            "en": "Choose up to three themes.",
            "es": "Elija hasta tres temas.",
            "fr": "Choisissez trois thèmes au maximum.",
        },
        options=THEMES,
    ),
    DemoQuestion(
        QuestionKind.SHORT_TEXT,
        required=True,
        text={
            "ar": "ما البرلمان أو المجلس الذي تنتمي إليه؟",
            "en": "Which parliament or chamber are you from?",
            "es": "¿De qué parlamento o cámara forma parte?",
            "fr": "De quel parlement ou de quelle chambre faites-vous partie\u00a0?",
        },
        help={
            "ar": "مثلًا: الجمعية الوطنية السنغالية، أو مجلس النواب الأرجنتيني.",
            "en": "For example: National Assembly of Senegal, or Chamber of Deputies of Argentina.",
            "es": (
                "Por ejemplo: Asamblea Nacional del Senegal o Cámara de Diputados de la Argentina."
            ),
            "fr": (
                "Par exemple\u00a0: Assemblée nationale du Sénégal, ou Chambre des députés de "
                "l’Argentine."
            ),
        },
    ),
    DemoQuestion(
        QuestionKind.SHORT_TEXT,
        text={
            "ar": "ما اللجنة التي أنت عضو فيها أو تعمل لديها؟",
            "en": "Which committee do you sit on or work for?",
            "es": "¿De qué comisión es miembro o para qué comisión trabaja?",
            "fr": (
                "De quelle commission êtes-vous membre, ou pour "
                "quelle commission travaillez-vous\u00a0?"
            ),
        },
        help={
            "ar": "اترك هذه الخانة فارغة إذا لم يكن السؤال منطبقًا عليك.",
            "en": "Leave it empty if this does not apply to you.",
            "es": "Déjelo en blanco si no corresponde.",
            "fr": "Laissez ce champ vide si la question ne vous concerne pas.",
        },
    ),
    DemoQuestion(
        QuestionKind.YES_NO,
        required=True,
        text={
            "ar": "هل سيشارك برلمانكم في مسار برلماني إقليمي في عام 2025؟",
            "en": "Would your parliament take part in a regional Parliamentary Track in 2025?",
            "es": "¿Participaría su parlamento en una vertiente parlamentaria regional en 2025?",
            "fr": (
                "Votre parlement participerait-il à un volet parlementaire régional en 2025\u00a0?"
            ),
        },
        help={
            "ar": (
                "تُعقد الجلسات الإقليمية على هامش الاجتماعات الإقليمية للمنتدى، كما حدث في بوينس "
                "آيرس وطشقند وداكار وسانتياغو وأديس أبابا في عام 2024."
            ),
            "en": (
                "Regional sessions are held alongside regional IGF meetings, as in Buenos Aires, "
                "Tashkent, Dakar, Santiago and Addis Ababa in 2024."
            ),
            "es": (
                "Las sesiones regionales se celebran paralelamente a las reuniones regionales del "
                "FGI, como en Buenos Aires, Taskent, Dakar, Santiago y Addis Abeba en 2024."
            ),
            "fr": (
                "Des sessions régionales se tiennent en marge des réunions régionales du FGI, "
                "comme à Buenos Aires, Tachkent, Dakar, Santiago et Addis-Abeba en 2024."
            ),
        },
    ),
    DemoQuestion(
        QuestionKind.SINGLE_CHOICE,
        text={
            "ar": "إذا كان الجواب بنعم، ففي أي منطقة؟",
            "en": "If so, in which region?",
            "es": "En caso afirmativo, ¿en qué región?",
            "fr": "Si oui, dans quelle région\u00a0?",
        },
        options=REGIONS,
    ),
    DemoQuestion(
        QuestionKind.SCALE,
        required=True,
        scale_max=5,
        text={
            "ar": "ما مدى انخراط برلمانكم حاليًا في السياسات الرقمية؟",
            "en": "How actively does your parliament engage on digital policy today?",
            "es": "¿En qué medida participa hoy su parlamento en las políticas digitales?",
            "fr": (
                "Dans quelle mesure votre parlement s’investit-il aujourd’hui dans les "
                "politiques numériques\u00a0?"
            ),
        },
        scale_min_label={"ar": "بالكاد", "en": "Hardly at all", "es": "Muy poco", "fr": "Très peu"},
        scale_max_label={
            "ar": "بنشاط كبير",
            "en": "Very actively",
            "es": "Muy activamente",
            "fr": "Très activement",
        },
    ),
    DemoQuestion(
        QuestionKind.LONG_TEXT,
        text={
            "ar": (
                "ما المسائل الأخرى التي ينبغي أن يتناولها المسار البرلماني؟ ويمكنكم أيضًا عرض "
                "ممارسة متبعة في برلمانكم."
            ),
            "en": (
                "What else should the Parliamentary Track address? You may also share a practice "
                "from your parliament."
            ),
            "es": (
                "¿Qué otras cuestiones debería abordar la vertiente parlamentaria? También puede "
                "compartir una práctica de su parlamento."
            ),
            "fr": (
                "Quelles autres questions le volet parlementaire devrait-il traiter\u00a0? Vous "
                "pouvez aussi faire part d’une pratique de votre parlement."
            ),
        },
        help={
            "ar": "اكتب بلغتك.",
            "en": "Write in your own language.",
            "es": "Escriba en su propio idioma.",
            "fr": "Écrivez dans votre langue.",
        },
    ),
)


# 4. The progress and obstacles report (output document, paragraphs 7 and 8).
PROGRESS_REPORT = DemoConsultation(
    slug="igf-2024-progress-and-obstacles",
    title={
        "ar": "تقرير عن التقدم المحرز والعقبات",
        "en": "Progress and obstacles report",
        "es": "Informe sobre los avances y los obstáculos",
        "fr": "Rapport sur les progrès accomplis et les obstacles rencontrés",
    },
    summary={
        "ar": (
            "في الفقرة 7 من الوثيقة الختامية للمسار البرلماني لمنتدى إدارة الإنترنت لعام 2024، "
            "دعا البرلمانيون البرلمانات الوطنية ومؤسسات منظومة الأمم المتحدة وسائر أصحاب المصلحة "
            "إلى الإبلاغ عن التقدم المحرز والعقبات المصادفة في المسائل الواردة فيها. وعملًا بالفقرة "
            "8، سيتولى المنتدى والاتحاد البرلماني الدولي تجميع التقارير الواردة وعرضها في الدورة "
            "العشرين للمنتدى، المقرر عقدها في النرويج في حزيران/يونيو 2025. يُرجى إطلاعنا على ما "
            "قام به برلمانكم وعلى ما يعترض عمله من عقبات."
        ),
        "en": (
            "In paragraph 7 of the output document of the IGF 2024 Parliamentary Track, "
            "parliamentarians invited national parliaments, UN system organizations and all other "
            "stakeholders to report on progress and obstacles on the matters it sets out. As "
            "paragraph 8 requests, the IGF and the IPU will compile the reports received and "
            "present them at the 20th IGF, in Norway in June 2025. Please tell us what your "
            "parliament has done, and what stands in its way."
        ),
        "es": (
            "En el párrafo 7 del documento final de la vertiente parlamentaria del FGI 2024, los "
            "parlamentarios invitaron a los parlamentos nacionales, a las organizaciones del "
            "sistema de las Naciones Unidas y a todas las demás partes interesadas a informar "
            "sobre los avances y los obstáculos en las cuestiones allí enunciadas. Tal como se "
            "solicita en el párrafo 8, el FGI y la UIP recopilarán los informes recibidos y los "
            "presentarán en el vigésimo FGI, que se celebrará en Noruega en junio de 2025. "
            "Cuéntenos qué ha hecho su parlamento y qué obstáculos encuentra."
        ),
        "fr": (
            "Au paragraphe 7 du document final du volet parlementaire du FGI 2024, les "
            "parlementaires ont invité les parlements nationaux, les organismes des Nations Unies "
            "et toutes les autres parties prenantes à rendre compte des progrès accomplis et des "
            "obstacles rencontrés sur les questions qui y sont énoncées. Comme le demande le "
            "paragraphe 8, le FGI et l’UIP compileront les rapports reçus et les présenteront au "
            "vingtième FGI, en Norvège, en juin 2025. Dites-nous ce que votre parlement a fait et "
            "ce qui freine son action."
        ),
    },
    weeks_open=10,
)

PROGRESS_REPORT_QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        QuestionKind.SHORT_TEXT,
        required=True,
        text={
            "ar": "باسم أي برلمان أو مجلس تقدّم هذا التقرير؟",
            "en": "Which parliament or chamber are you reporting for?",
            "es": "¿En nombre de qué parlamento o cámara presenta este informe?",
            "fr": "Au nom de quel parlement ou de quelle chambre faites-vous rapport\u00a0?",
        },
    ),
    DemoQuestion(
        QuestionKind.COUNTRY,
        required=True,
        text={
            "ar": "في أي بلد يقع؟",
            "en": "In which country is it?",
            "es": "¿En qué país se encuentra?",
            "fr": "Dans quel pays se trouve-t-il\u00a0?",
        },
    ),
    DemoQuestion(
        QuestionKind.YES_NO,
        required=True,
        text={
            "ar": (
                "هل اتخذ برلمانكم، منذ كانون الأول/ديسمبر 2024، إجراءات لمتابعة الالتزامات "
                "الواردة في الوثيقة الختامية للمسار البرلماني لعام 2024؟"
            ),
            "en": (
                "Since December 2024, has your parliament acted on the commitments of the 2024 "
                "Parliamentary Track output document?"
            ),
            "es": (
                "Desde diciembre de 2024, ¿ha adoptado su parlamento medidas para dar seguimiento "
                "a los compromisos del documento final de la vertiente parlamentaria 2024?"
            ),
            "fr": (
                "Depuis décembre 2024, votre parlement a-t-il pris des mesures pour donner suite "
                "aux engagements du document final du volet parlementaire 2024\u00a0?"
            ),
        },
        help={
            "ar": (
                "ترد الالتزامات الموجهة إلى البرلمانات في الفقرات من 1 إلى 3 من الوثيقة الختامية."
            ),
            "en": (
                "The commitments addressed to parliaments are "
                "paragraphs 1 to 3 of the output document."
            ),
            "es": (
                "Los compromisos dirigidos a los parlamentos figuran en los párrafos 1 a 3 del "
                "documento final."
            ),
            "fr": (
                "Les engagements adressés aux parlements figurent aux paragraphes 1 à 3 du "
                "document final."
            ),
        },
    ),
    DemoQuestion(
        QuestionKind.LONG_TEXT,
        text={
            "ar": "ما التقدم الذي أحرزه برلمانكم؟",
            "en": "What progress has your parliament made?",
            "es": "¿Qué avances ha logrado su parlamento?",
            "fr": "Quels progrès votre parlement a-t-il accomplis\u00a0?",
        },
        help={
            "ar": (
                "مثلًا: القوانين المعتمدة أو قيد المناقشة، والتحقيقات وجلسات الاستماع التي تعقدها "
                "اللجان، والقرارات المتعلقة بالميزانية، وتدريب الأعضاء والموظفين، والتعاون مع "
                "البرلمانات الأخرى."
            ),
            "en": (
                "For example: laws adopted or under discussion, committee inquiries and hearings, "
                "budget decisions, training for members and staff, cooperation with other "
                "parliaments."
            ),
            "es": (
                "Por ejemplo: leyes aprobadas o en debate, investigaciones y audiencias de "
                "comisiones, decisiones presupuestarias, formación para parlamentarios y personal, "
                "cooperación con otros parlamentos."
            ),
            "fr": (
                "Par exemple\u00a0: lois adoptées ou en cours d’examen, enquêtes et auditions "
                "de commissions, décisions budgétaires, formations destinées aux parlementaires "
                "et au personnel, coopération avec d’autres parlements."
            ),
        },
    ),
    DemoQuestion(
        QuestionKind.LONG_TEXT,
        text={
            "ar": "ما العقبات التي واجهها برلمانكم؟",
            "en": "What obstacles has your parliament met?",
            "es": "¿Con qué obstáculos se ha encontrado su parlamento?",
            "fr": "À quels obstacles votre parlement s’est-il heurté\u00a0?",
        },
        help={
            "ar": "مثلًا: نقص الخبرة أو الموارد، وتزاحم الأولويات، وسرعة التطور التكنولوجي.",
            "en": (
                "For example: a lack of expertise or resources, competing priorities, the pace "
                "of technological change."
            ),
            "es": (
                "Por ejemplo: falta de conocimientos especializados o de recursos, prioridades "
                "contrapuestas, ritmo de la evolución tecnológica."
            ),
            "fr": (
                "Par exemple\u00a0: manque d’expertise ou de moyens, priorités concurrentes, "
                "rythme de l’évolution technologique."
            ),
        },
    ),
)
