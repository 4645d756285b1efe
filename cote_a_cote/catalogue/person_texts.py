"""Neutral demo texts for the person, written from a demo service's needs and access features.

Real providers write their own (portal); the fictional demo catalogue gets plain sentences that
say what to expect and what to bring, and nothing about why the person goes: they are printed on
the person's handout (principle 7). Each text stays under 400 characters.
"""

from __future__ import annotations

# Top-level need → (French, English): what the person will find.
NEED_SENTENCES = {
    "need.safety_shelter": (
        "Un lieu sûr pour dormir et se reposer.",
        "A safe place to sleep and rest.",
    ),
    "need.housing": ("De l’aide pour trouver un logement.", "Help to find a place to live."),
    "need.basic_needs": (
        "Nourriture, vêtements et articles d’hygiène.",
        "Food, clothing and hygiene items.",
    ),
    "need.finances": (
        "Des conseils sur l’argent, le budget et les dettes.",
        "Advice on money, budgeting and debt.",
    ),
    "need.physical_health": ("Des soins de santé, à votre rythme.", "Health care, at your pace."),
    "need.mental_health": (
        "Un espace pour parler, à votre rythme.",
        "A space to talk, at your pace.",
    ),
    "need.addiction": (
        "Du soutien au sujet de la consommation, sans jugement.",
        "Support about substance use, without judgement.",
    ),
    "need.legal": ("Des conseils juridiques confidentiels.", "Confidential legal advice."),
    "need.employment": (
        "De l’aide pour trouver un emploi ou une formation.",
        "Help to find a job or a course.",
    ),
    "need.education": ("De l’aide pour les études.", "Help with studies."),
    "need.transport": ("Un transport vers vos rendez-vous.", "A ride to your appointments."),
    "need.interpreting": (
        "Une ou un interprète dans votre langue.",
        "An interpreter in your language.",
    ),
    "need.self_image": ("Des soins de beauté.", "Beauty care."),
    "need.wellbeing": ("Des activités de bien-être.", "Wellbeing activities."),
    "need.telecom": ("Un téléphone ou un forfait.", "A phone or a phone plan."),
    "need.pets": ("Des soins pour votre animal.", "Care for your pet."),
    "need.storage": ("Un endroit pour garder vos affaires.", "A place to keep your belongings."),
    "need.peer_support": (
        "Des personnes qui savent écouter, pour échanger.",
        "People who listen, to talk things over.",
    ),
}
ACCESS_SENTENCES = {
    "access.free_or_reduced_cost": ("Gratuit ou à coût réduit.", "Free or at a reduced cost."),
    "access.accompaniment_welcome": (
        "Une personne de confiance peut vous accompagner.",
        "Someone you trust may come with you.",
    ),
    "access.low_threshold": ("Aucun document n’est exigé.", "No document is required."),
    "access.pets_accepted": ("Les animaux sont acceptés.", "Pets are welcome."),
    "access.interpreter_available": (
        "Une ou un interprète peut être présent.",
        "An interpreter can be there.",
    ),
}
BRING = (
    "Apportez cette feuille. Vous pouvez poser toutes vos questions.",
    "Bring this sheet. You may ask any question.",
)
LIMIT = 400


def demo_person_texts(terms: list[str]) -> dict[str, str]:
    """{'person_text_fr': …, 'person_text_en': …} for a demo service tagged with terms."""
    tops = list(dict.fromkeys(".".join(code.split(".")[:2]) for code in terms))
    sentences = [NEED_SENTENCES[c] for c in tops if c in NEED_SENTENCES][:2]
    sentences += [ACCESS_SENTENCES[c] for c in terms if c in ACCESS_SENTENCES]
    sentences.append(BRING)
    texts = {}
    for index, name in enumerate(("person_text_fr", "person_text_en")):
        text = ""
        for sentence in (s[index] for s in sentences):
            if len(text) + len(sentence) + 1 > LIMIT:
                break
            text = f"{text} {sentence}".strip()
        texts[name] = text
    return texts
