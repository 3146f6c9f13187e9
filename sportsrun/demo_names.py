"""The demo's events, races, divisions and cities in Arabic, Kurdish and English, as an organiser fills the
three name fields beside the required one (which stays the English name here)."""

# English name → (Arabic, Central Kurdish)
NAMES = {
    "Baghdad Peace Run": ("ركضة بغداد للسلام", "ڕاکردنی بەغدا بۆ ئاشتی"),
    "Basra Corniche 10K": ("ركضة كورنيش البصرة 10 كم", "ڕاکردنی کۆرنیشی بەسرە 10 کم"),
    "Erbil Half Marathon": ("نصف ماراثون أربيل", "نیوە ماراسۆنی هەولێر"),
    "Slemani Run for Coexistence": ("ركضة السليمانية للتعايش", "ڕاکردنی سلێمانی بۆ پێکەوەژیان"),
    "Karbala Community 5K": ("ركضة كربلاء المجتمعية 5 كم", "ڕاکردنی کۆمەڵگەی کەربەلا 5 کم"),
    "Mosul Rebuilds 10K": ("الموصل تنهض 10 كم", "مووسڵ ئاوەدان دەبێتەوە 10 کم"),
    "Mini-football for Coexistence": ("كرة القدم المصغّرة للتعايش", "تۆپی پێی بچووک بۆ پێکەوەژیان"),
    # races
    "10 km": ("10 كم", "10 کم"),
    "5 km": ("5 كم", "5 کم"),
    "Half marathon": ("نصف ماراثون", "نیوە ماراسۆن"),
    "Children's 2 km": ("ركضة الأطفال 2 كم", "ڕاکردنی منداڵان 2 کم"),
    # football divisions
    "Women's cup": ("كأس السيدات", "جامی ئافرەتان"),
    "Mixed under-15": ("المختلط تحت 15 سنة", "تێکەڵاو خوار 15 ساڵ"),
}
CITIES = {
    "Baghdad": ("بغداد", "بەغدا"),
    "Basra": ("البصرة", "بەسرە"),
    "Erbil": ("أربيل", "هەولێر"),
    "Sulaymaniyah": ("السليمانية", "سلێمانی"),
    "Karbala": ("كربلاء", "کەربەلا"),
    "Mosul": ("الموصل", "مووسڵ"),
}


def _languages(field: str, english: str, table: dict[str, tuple[str, str]]) -> dict[str, str]:
    arabic, kurdish = table[english]
    return {field: english, f"{field}_ar": arabic, f"{field}_ckb": kurdish, f"{field}_en": english}


def named(english: str) -> dict[str, str]:
    """`name` with `name_ar`, `name_ckb`, `name_en`."""
    return _languages("name", english, NAMES)


def city(english: str) -> dict[str, str]:
    """`city` with `city_ar`, `city_ckb`, `city_en`."""
    return _languages("city", english, CITIES)
