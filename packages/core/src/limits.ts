/**
 * WhatsApp's limits, checked before any network call. Lengths count characters, not bytes.
 * From Meta's Cloud API reference for each message type.
 */
export const LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  interactiveBody: 1024,
  interactiveHeader: 60,
  interactiveFooter: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  listSectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  /** Label of a URL button (CTA URL messages, carousel cards). */
  urlButtonText: 20,
  carouselMinCards: 2,
  carouselMaxCards: 10,
  carouselCardBody: 160,
  carouselCardButtons: 2,
  productSections: 10,
  productSectionTitle: 24,
  /** Products in one multi-product message, across its sections. */
  products: 30,
  /** Meta advises at most 30 characters for a flow button. */
  flowCta: 30,
  templateName: 512,
  /** A coupon code in a copy-code button. */
  couponCode: 15,
  /** An authentication template's one-time password. */
  otpCode: 15,
  callbackData: 512,
  /** A business-scoped user id, after its country prefix. */
  userId: 128,
  /** Media size limits in bytes, by kind. */
  mediaBytes: {
    image: 5 * 1024 * 1024,
    video: 16 * 1024 * 1024,
    audio: 16 * 1024 * 1024,
    document: 100 * 1024 * 1024,
    sticker: 500 * 1024,
  },
} as const;
