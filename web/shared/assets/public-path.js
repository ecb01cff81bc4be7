// Tells Bootstrap Italia's bundle where its fonts are served.
window.__PUBLIC_PATH__ = "/assets/bi/fonts";
