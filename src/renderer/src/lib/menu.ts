// Keyboard behaviour shared by the popup's menus: Escape closes the menu and goes no further
// (so it does not also step back a view or hide the popup).
export function closeOnEscape(close: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };
}
