/** A titled panel of the trading-desk layout. */
import { useId, type ReactNode } from 'react';
import styles from './card.module.css';

/** Props: visible title, optional header extras (badges, selects) and the body. */
export interface CardProps {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** A section with a heading that names it for assistive technology. */
export function Card({ title, actions, children, className = '' }: CardProps) {
  const id = useId();
  return (
    <section className={`${styles.card} ${className}`} aria-labelledby={id}>
      <header className={styles.header}>
        <h2 id={id} className={styles.title}>
          {title}
        </h2>
        {actions && <div className={styles.actions}>{actions}</div>}
      </header>
      {children}
    </section>
  );
}
