"""Share links: plain addresses of the networks' own share pages, with the page's address and title
URL-encoded. No script or image of theirs is loaded (our CSP allows none, and a visitor's network learns
of the visit only when they choose to share). Pure."""

from urllib.parse import quote

NETWORKS = ("whatsapp", "telegram", "facebook", "x")
NAMES = {"whatsapp": "WhatsApp", "telegram": "Telegram", "facebook": "Facebook", "x": "X"}


def _q(value: str) -> str:
    return quote(value, safe="")


def share_url(network: str, url: str, title: str) -> str:
    """The address that opens `network`'s share page (or app, on a phone) with `url` and `title`."""
    if network == "whatsapp":  # one text: WhatsApp takes no separate link
        return f"https://wa.me/?text={_q(f'{title} {url}')}"
    if network == "telegram":
        return f"https://t.me/share/url?url={_q(url)}&text={_q(title)}"
    if network == "facebook":  # Facebook reads the title from the page's Open Graph tags
        return f"https://www.facebook.com/sharer/sharer.php?u={_q(url)}"
    if network == "x":
        return f"https://x.com/intent/tweet?url={_q(url)}&text={_q(title)}"
    raise ValueError(f"no share link for {network!r}")


def share_links(url: str, title: str) -> list[dict[str, str]]:
    """Every network's link, in the order the pages list them: `network`, `name` and `href`."""
    return [{"network": n, "name": NAMES[n], "href": share_url(n, url, title)} for n in NETWORKS]
