/**
 * Keep's masonry: cards of different heights packed into columns with no holes.
 *
 * The grid (style.css, `.grid`) has columns of a fixed width and rows only
 * a few pixels high; each card spans as many rows as its height needs. So
 * CSS grid does the packing, and the cards stay in the document in their
 * own order, which is also the order of the keyboard and of screen readers.
 * A ResizeObserver gives each card its span whenever its height changes (an
 * image arriving, a new text, a narrower window).
 */

const observer = new ResizeObserver((entries) => {
  for (const entry of entries) span(entry.target, entry.borderBoxSize[0].blockSize);
});

/** Lay out `card` now and whenever it changes size. */
export function watch(card) {
  observer.observe(card);
}

export function unwatch(card) {
  observer.unobserve(card);
}

function span(card, height) {
  const grid = card.parentElement;
  if (!grid || height === 0) return;
  const style = getComputedStyle(grid);
  const row = parseFloat(style.gridAutoRows);
  const gap = parseFloat(style.columnGap); // the space under a card: as wide as between columns
  card.style.gridRowEnd = `span ${Math.ceil((height + gap) / row)}`;
}
