// Sets the document title for a page. Titles never carry patient data (browser history keeps them).
import { useEffect } from 'preact/hooks';

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – KetaChart`;
  }, [title]);
}
